import type { App } from '../app.ts';

export function connectionText(app: App): string {
  if (!app.online) return 'Offline: logging and forecasts still work';
  const c = app.connection;
  switch (c.state) {
    case 'connected':
      return 'Connected to the team server';
    case 'connecting':
      return 'Connecting to the team server…';
    case 'disconnected':
      return `Not connected${c.detail ? ` (${c.detail})` : ''}; retrying`;
    case 'offline':
      return 'Offline: logging and forecasts still work';
    case 'idle':
      if (c.detail && c.detail !== 'not enrolled') return `Not sharing here: ${c.detail}`;
      return app.identity() ? 'Not sharing' : 'Private log only';
  }
}
