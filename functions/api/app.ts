import { Hono } from 'hono';
import { healthRoutes } from './routes/health.js';

/** Everything the HTTP app needs; the composition roots in functions/handlers fill it in. */
export interface AppDeps {
  readonly version: string;
}

/** Builds the one Hono app shared by the Lambda handler, the Node server and the tests. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.route('/v1/health', healthRoutes(deps.version));
  return app;
}
