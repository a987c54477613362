// @ts-check
import { api } from './api.js';
import { actionButton, byId, el, svgDataUrl, table, when } from './dom.js';

/** The new invite: its code, its join link and a QR code of the link for a phone's camera. @param {any} invite */
async function showInvite(invite) {
  const { svg } = await api('/api/console/qr', { method: 'POST', body: { text: invite.joinUrl } });
  byId('invite-result').replaceChildren(
    el('p', { class: 'ok', text: `Invite created for ${invite.tasks.join(' and ')}, valid until ${when(invite.expiresAt)}. Single use; shown only now.` }),
    el('p', {}, 'Code: ', el('code', { id: 'invite-code', text: invite.code })),
    el('p', {}, 'Join link: ', el('code', { id: 'invite-link', text: invite.joinUrl })),
    el('p', { class: 'qr' }, el('img', { id: 'invite-qr', src: svgDataUrl(svg), alt: `QR code of the join link for invite ${invite.code}` })),
  );
}

/** @param {string[]} tasks */
export function setUpAccess(tasks, reload) {
  byId('invite-tasks').replaceChildren(...tasks.map((t) => el('label', {}, el('input', { type: 'checkbox', name: 'task', value: t, checked: true }), t)));
  byId('invite-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = [.../** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#invite-tasks input:checked'))].map((i) => i.value);
    const hours = Number(/** @type {HTMLInputElement} */ (byId('invite-hours')).value);
    const note = /** @type {HTMLInputElement} */ (byId('invite-note')).value.trim();
    if (chosen.length === 0) return void byId('invite-result').replaceChildren(el('p', { class: 'warn', role: 'alert', text: 'Choose at least one task.' }));
    try {
      const invite = await api('/api/invites', { method: 'POST', body: { tasks: chosen, expiresInHours: hours, ...(note ? { note } : {}) } });
      await showInvite(invite);
      await reload();
    } catch (err) {
      byId('invite-result').replaceChildren(el('p', { class: 'warn', role: 'alert', text: `Invite refused: ${/** @type {Error} */ (err).message}` }));
    }
  });
  byId('new-token').addEventListener('click', async () => {
    const note = /** @type {HTMLInputElement} */ (byId('token-note')).value.trim();
    try {
      const issued = await api('/api/credentials', { method: 'POST', body: note ? { note } : {} });
      const revoke = el('button', { type: 'button', text: 'Revoke this token' });
      revoke.addEventListener('click', async () => {
        await api(`/api/credentials/${encodeURIComponent(issued.id)}`, { method: 'DELETE' });
        byId('token-result').replaceChildren(el('p', { text: `Token ${issued.id} revoked.` }));
      });
      byId('token-result').replaceChildren(el('p', { class: 'ok', text: 'Analyst token created. Copy it now: it is stored only hashed and never shown again.' }), el('p', {}, el('code', { id: 'analyst-token', text: issued.token })), revoke);
    } catch (err) {
      byId('token-result').replaceChildren(el('p', { class: 'warn', role: 'alert', text: `Refused: ${/** @type {Error} */ (err).message}` }));
    }
  });
}

/** @param {any[]} invites @param {any[]} enrollments @param {() => Promise<void>} reload */
export function renderAccess(invites, enrollments, reload) {
  byId('invites').replaceChildren(
    invites.length === 0
      ? el('p', { text: 'No invites yet.' })
      : table(
          `${invites.length} invites, ${invites.filter((i) => i.state === 'pending').length} pending`,
          [{ label: 'Invite' }, { label: 'Tasks' }, { label: 'State' }, { label: 'Expires' }, { label: 'Note' }, { label: 'Action' }],
          [...invites].reverse().map((i) => [i.id, i.tasks.join(', '), i.state, when(i.expiresAt), i.note ?? '', i.state === 'pending' ? actionButton(`Revoke invite ${i.id}`, async () => (await api(`/api/invites/${encodeURIComponent(i.id)}`, { method: 'DELETE' }), reload())) : '']),
        ),
  );
  byId('enrollments').replaceChildren(
    enrollments.length === 0
      ? el('p', { text: 'No device has enrolled yet.' })
      : table(
          `${enrollments.filter((e) => e.state === 'active').length} active enrollments (pseudonymous device ids)`,
          [{ label: 'Device' }, { label: 'Tasks' }, { label: 'Enrolled' }, { label: 'State' }, { label: 'Connected' }, { label: 'Action' }],
          enrollments.map((e) => [e.clientId, e.tasks.join(', '), when(e.enrolledAt), e.state, e.connected ? 'yes' : 'no', e.state === 'active' ? actionButton(`Revoke device ${e.clientId}`, async () => (await api(`/api/enrollments/${encodeURIComponent(e.clientId)}`, { method: 'DELETE' }), reload())) : '']),
        ),
  );
}
