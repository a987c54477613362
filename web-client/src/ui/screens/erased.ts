import { h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';

export const erasedScreen: ScreenFactory = () => {
  const server = sessionStorage.getItem('huddle-erased') ?? '';
  sessionStorage.clear();
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'erased-title' },
      h('h2', { id: 'erased-title', tabindex: '-1' }, 'Everything is erased'),
      h('p', { id: 'erased-detail' }, 'Your log, your keys and the app’s cached files are gone from this device. ', server),
      h('p', {}, h('button', { type: 'button', onclick: () => location.replace(location.pathname) }, 'Start again')),
    ),
  };
};
