import { Hono } from 'hono';

/** Liveness: answers without touching a backend so load balancers never see a cascade. */
export function healthRoutes(version: string): Hono {
  return new Hono().get('/', (c) => c.json({ status: 'ok', service: 'splitvault', version }));
}
