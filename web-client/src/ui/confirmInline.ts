import { clear, h } from './dom.ts';

export interface InlineConfirmation {
  /** `ID-confirm` and `ID-cancel` name the two buttons. */
  id: string;
  question: string;
  yes: string;
}

/**
 * A click on `trigger` asks, inside `area`, whether to take a step that cannot be undone. The safe choice has focus,
 * so pressing Enter twice never confirms by accident; Cancel clears the question and gives focus back to `trigger`.
 * `onYes` runs once with the Cancel button (the Yes button is already disabled).
 */
export function confirmInline(area: HTMLElement, trigger: HTMLButtonElement, o: InlineConfirmation, onYes: (no: HTMLButtonElement) => void): void {
  trigger.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger', id: `${o.id}-confirm` }, o.yes);
    const no = h('button', { type: 'button', id: `${o.id}-cancel` }, 'Cancel');
    clear(area, h('p', { role: 'alert' }, o.question), h('div', { class: 'actions' }, no, yes));
    no.focus();
    no.addEventListener('click', () => {
      clear(area);
      trigger.focus();
    });
    yes.addEventListener('click', () => {
      yes.disabled = true;
      onYes(no);
    });
  });
}
