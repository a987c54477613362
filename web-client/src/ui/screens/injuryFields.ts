import { INJURY_BODY_PARTS, type DailyLogRow, type InjuryBodyPart } from '@huddle/shared/log';
import type { InjuryInput } from '../../log/checkin.ts';
import { field, h } from '../dom.ts';

export const BODY_PART_LABELS: Record<InjuryBodyPart, string> = {
  head_neck: 'Head or neck',
  shoulder: 'Shoulder',
  upper_arm_elbow: 'Upper arm or elbow',
  forearm_wrist_hand: 'Forearm, wrist or hand',
  chest_abdomen: 'Chest or abdomen',
  upper_back: 'Upper back',
  lower_back: 'Lower back',
  hip_groin: 'Hip or groin',
  thigh_front: 'Front of thigh',
  thigh_back: 'Back of thigh (hamstring)',
  knee: 'Knee',
  lower_leg_calf: 'Lower leg or calf',
  ankle: 'Ankle',
  foot: 'Foot',
  other: 'Somewhere else',
};

const SEVERITY = [
  { value: '1', label: 'Minor: I can train fully' },
  { value: '2', label: 'Moderate: I train less' },
  { value: '3', label: 'Severe: I cannot train' },
];

/** "new injury, back of thigh, moderate" for the log table. */
export function injurySummary(r: DailyLogRow): string {
  if (r.injury !== 1 && r.injuryOngoing !== 1) return '';
  const parts = [r.injury === 1 ? 'new injury' : 'still injured'];
  if (r.injuryBodyPart) parts.push(BODY_PART_LABELS[r.injuryBodyPart].toLowerCase());
  if (r.injurySeverity) parts.push(SEVERITY[r.injurySeverity - 1]!.label.split(':')[0]!.toLowerCase());
  return parts.join(', ');
}

/** The injury part of the full check-in: new injury, still injured, and (for either) body part and severity. */
export function injuryFields(): { el: HTMLFieldSetElement; controls: Record<string, HTMLElement>; read(): InjuryInput; fill(row: DailyLogRow | null): void } {
  const isNew = h('input', { type: 'checkbox', id: 'injury', name: 'injury' });
  const ongoing = h('input', { type: 'checkbox', id: 'injury-ongoing', name: 'injuryOngoing' });
  const bodyPart = h('select', { id: 'injury-body-part', name: 'injury_body_part' }, h('option', { value: '' }, '— not given —'), INJURY_BODY_PARTS.map((p) => h('option', { value: p }, BODY_PART_LABELS[p])));
  const severity = SEVERITY.map((s) => h('input', { type: 'radio', name: 'injury_severity', id: `injury-severity-${s.value}`, value: s.value }));
  const details = h(
    'div',
    { id: 'injury-details' },
    field('Where is it?', bodyPart),
    h('fieldset', { class: 'choices', id: 'injury-severity' }, h('legend', {}, 'How bad is it?'), severity.map((input, i) => h('div', { class: 'check' }, input, h('label', { for: input.id }, SEVERITY[i]!.label)))),
  );
  const sync = () => (details.hidden = !isNew.checked && !ongoing.checked);
  isNew.addEventListener('change', sync);
  ongoing.addEventListener('change', sync);
  const el = h(
    'fieldset',
    {},
    h('legend', {}, 'Injury'),
    h('div', { class: 'check' }, isNew, h('label', { for: 'injury' }, 'I picked up a new injury today')),
    h('div', { class: 'check' }, ongoing, h('label', { for: 'injury-ongoing' }, 'I am still injured')),
    details,
  );
  sync();
  return {
    el,
    controls: { injury: isNew, injury_ongoing: ongoing, injury_body_part: bodyPart, injury_severity: severity[0]! },
    read: () => ({
      isNew: isNew.checked,
      ongoing: ongoing.checked,
      // Details only describe an injury: they are not saved for a day without one.
      bodyPart: isNew.checked || ongoing.checked ? bodyPart.value : '',
      severity: isNew.checked || ongoing.checked ? (severity.find((s) => s.checked)?.value ?? '') : '',
    }),
    fill: (row) => {
      isNew.checked = row?.injury === 1;
      ongoing.checked = row?.injuryOngoing === 1;
      bodyPart.value = row?.injuryBodyPart ?? '';
      for (const s of severity) s.checked = s.value === String(row?.injurySeverity ?? '');
      sync();
    },
  };
}
