import { serve } from '@hono/node-server';
import { createApp } from '../api/app.js';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const app = createApp({ version: '0.1.0' });
serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', url: `http://${info.address}:${info.port}` }));
});
