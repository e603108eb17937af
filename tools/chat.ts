/**
 * `npm run chat -- --email a@example.com --password '…' --room general`: a terminal chat client for
 * the README's two-terminal walk-through. It logs in through the platform HTTP API, asks for a
 * one-time WebSocket ticket, connects to the URL the ticket carries, joins (or creates) the room,
 * sends each line you type and prints every frame it receives. `--signup "Display name"` signs up
 * first. `--api` picks another HTTP API (default http://127.0.0.1:3000).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { roomPageSchema, roomSchema, serverFrameSchema } from '@quanta/contracts/chat';
import { tokenPairSchema } from '@quanta/contracts/identity';
import { realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import * as z from '@quanta/contracts/zod';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
    email: { type: 'string' },
    password: { type: 'string' },
    signup: { type: 'string' },
    room: { type: 'string', default: 'general' },
  },
});
if (values.email === undefined || values.password === undefined) {
  console.error(
    "usage: npm run chat -- --email <e-mail> --password <password> [--signup 'Name'] [--room general]",
  );
  process.exit(2);
}

async function call<T>(
  schema: z.ZodMiniType<T>,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${values.api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
  return schema.parse(text === '' ? undefined : JSON.parse(text));
}

if (values.signup !== undefined) {
  await call(z.unknown(), 'POST', '/identity/signup', {
    email: values.email,
    password: values.password,
    displayName: values.signup,
  });
}
const login = { email: values.email, password: values.password };
const { accessToken } = await call(tokenPairSchema, 'POST', '/identity/login', login);
const rooms = await call(roomPageSchema, 'GET', '/chat/rooms', undefined, accessToken);
const room =
  rooms.items.find((r) => r.name === values.room) ??
  (await call(roomSchema, 'POST', '/chat/rooms', { name: values.room }, accessToken));
const { url } = await call(realtimeTicketResponseSchema, 'POST', '/realtime/tickets', undefined, accessToken);

const socket = new WebSocket(url);
socket.on('open', () => {
  console.log(`connected; joining '${room.name}' (${room.roomId}). Type a line to send it, Ctrl-D to leave.`);
  socket.send(JSON.stringify({ action: 'join', roomId: room.roomId }));
});
socket.on('message', (data) => {
  const frame = serverFrameSchema.parse(JSON.parse(String(data)));
  console.log(
    frame.type === 'message' ? `#${frame.seq} ${frame.displayName}: ${frame.text}` : JSON.stringify(frame),
  );
});
socket.on('close', (code) => {
  console.log(`closed (${code})`);
  process.exit(0);
});
createInterface({ input: process.stdin })
  .on('line', (text) => {
    if (text.trim() === '') return;
    socket.send(
      JSON.stringify({ action: 'send', roomId: room.roomId, text, clientMessageId: crypto.randomUUID() }),
    );
  })
  .on('close', () => socket.close());
