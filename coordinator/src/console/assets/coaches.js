// @ts-check
import { api } from './api.js';
import { actionButton, byId, el, svgDataUrl, table, when } from './dom.js';

/** Coach invites (code, link, QR) and enrolled coaches, with revocation. The console never sees what athletes share. */
export function setUpCoaches(reload) {
  byId('coach-invite-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const hours = Number(/** @type {HTMLInputElement} */ (byId('coach-invite-hours')).value);
    const note = /** @type {HTMLInputElement} */ (byId('coach-invite-note')).value.trim();
    try {
      const invite = await api('/api/coach-invites', { method: 'POST', body: { expiresInHours: hours, ...(note ? { note } : {}) } });
      const { svg } = await api('/api/console/qr', { method: 'POST', body: { text: invite.joinUrl } });
      byId('coach-invite-result').replaceChildren(
        el('p', { class: 'ok', text: `Coach invite created, valid until ${when(invite.expiresAt)}. Single use; shown only now.` }),
        el('p', {}, 'Code: ', el('code', { id: 'coach-invite-code', text: invite.code })),
        el('p', {}, 'Board link: ', el('code', { id: 'coach-invite-link', text: invite.joinUrl })),
        el('p', { class: 'qr' }, el('img', { id: 'coach-invite-qr', src: svgDataUrl(svg), alt: `QR code of the coach board link for invite ${invite.code}` })),
      );
      await reload();
    } catch (err) {
      byId('coach-invite-result').replaceChildren(el('p', { class: 'warn', role: 'alert', text: `Coach invite refused: ${/** @type {Error} */ (err).message}` }));
    }
  });
}

/** @param {any[]} invites @param {any[]} coaches @param {() => Promise<void>} reload */
export function renderCoaches(invites, coaches, reload) {
  byId('coach-invites').replaceChildren(
    invites.length === 0
      ? el('p', { text: 'No coach invites yet.' })
      : table(
          `${invites.length} coach invites, ${invites.filter((i) => i.state === 'pending').length} pending`,
          [{ label: 'Invite' }, { label: 'State' }, { label: 'Expires' }, { label: 'Note' }, { label: 'Action' }],
          [...invites].reverse().map((i) => [i.id, i.state, when(i.expiresAt), i.note ?? '', i.state === 'pending' ? actionButton(`Revoke coach invite ${i.id}`, async () => (await api(`/api/coach-invites/${encodeURIComponent(i.id)}`, { method: 'DELETE' }), reload())) : '']),
        ),
  );
  byId('coaches').replaceChildren(
    coaches.length === 0
      ? el('p', { text: 'No coach has enrolled yet.' })
      : table(
          `${coaches.filter((c) => c.state === 'active').length} active coaches (ids are their key fingerprints)`,
          [{ label: 'Coach' }, { label: 'Enrolled' }, { label: 'State' }, { label: 'Athletes sharing', num: true }, { label: 'Action' }],
          coaches.map((c) => [c.coachId, when(c.enrolledAt), c.state, String(c.activeGrants), c.state === 'active' ? actionButton(`Revoke coach ${c.coachId}`, async () => (await api(`/api/coaches/${encodeURIComponent(c.coachId)}`, { method: 'DELETE' }), reload())) : '']),
        ),
  );
}
