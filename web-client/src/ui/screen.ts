import type { App } from '../app.ts';

export interface Screen {
  el: HTMLElement;
  /** Called when the screen is left. */
  dispose?: () => void;
}

export type ScreenFactory = (app: App, params: URLSearchParams) => Screen;
