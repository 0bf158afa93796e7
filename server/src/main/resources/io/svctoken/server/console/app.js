// svctoken's management console: plain DOM code over the same REST APIs every client uses. The session cookie
// authenticates the calls; every call that changes something sends the session's CSRF token.
const SESSION = '/_svctoken/console/session';
const PRIVILEGES = ['read_security', 'manage_service_account', 'manage_security', 'manage_api_key', 'manage_own_api_key', 'monitor'];
const EXPIRED = 'Your session has expired. Sign in again.';

const state = { csrf: null, user: null, privileges: {}, account: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, reason, expired) {
    super(reason);
    this.status = status;
    this.expired = expired;
  }
}

// ---- the API --------------------------------------------------------------------------------------------------

// GETs started early (while the session is read), answered once to the first caller that asks for the same path
const prefetched = new Map();

function prefetch(path) {
  const answer = api('GET', path);
  answer.catch(() => {}); // its caller sees the error, if any
  prefetched.set(path, answer);
}

async function api(method, path, body) {
  if (method === 'GET' && prefetched.has(path)) {
    const answer = prefetched.get(path);
    prefetched.delete(path);
    return answer;
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const reason = json && json.error ? (typeof json.error === 'string' ? json.error : json.error.reason) : null;
    const expired = res.status === 401 && state.csrf !== null && path !== SESSION;
    if (expired) {
      expire();
    }
    throw new ApiError(res.status, reason || `${res.status} ${res.statusText}`.trim(), expired);
  }
  return json;
}

const enc = encodeURIComponent;
const accountPath = (ns, svc) => `${enc(ns)}/${enc(svc)}`;

// ---- messages -------------------------------------------------------------------------------------------------

function showError(e) {
  if (e instanceof ApiError && e.expired) {
    return; // the session ended: expire() already said so
  }
  $('status').textContent = '';
  $('alert').textContent = e instanceof Error ? e.message : String(e);
}

function say(text) {
  $('alert').textContent = '';
  $('status').textContent = text;
}

function clearMessages() {
  $('alert').textContent = '';
  $('status').textContent = '';
}

// run an action; its error goes to the alert region
function guarded(fn) {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (e) {
      showError(e);
    }
  };
}

// ---- session --------------------------------------------------------------------------------------------------

function expire() {
  state.csrf = null;
  state.user = null;
  showView('signin');
  $('alert').textContent = EXPIRED;
}

async function startSession(session) {
  state.csrf = session.csrf_token;
  state.user = session.username;
  const [me, privs] = await Promise.all([
    api('GET', '/_security/_authenticate'),
    api('POST', '/_security/user/_has_privileges', { cluster: PRIVILEGES }),
  ]);
  state.user = me.username;
  state.privileges = (privs && privs.cluster) || {};
  $('whoami').textContent = `Signed in as ${me.username}`;
  $('nav').hidden = false;
  document.querySelectorAll('[data-needs]').forEach(applyNeeds);
}

function can(privilege) {
  return state.privileges[privilege] === true;
}

// token changes need manage_service_account in the elastic namespace, manage_security in any other (as the API checks)
function canChangeTokens(ns) {
  return ns === 'elastic' ? can('manage_service_account') || can('manage_security') : can('manage_security');
}

function applyNeeds(el) {
  const need = el.dataset.needs;
  el.hidden = need === 'tokens' ? !(state.account && canChangeTokens(state.account.ns)) : !can(need);
}

async function signIn(event) {
  event.preventDefault();
  clearMessages();
  const byKey = $('method-apikey').checked;
  const body = byKey ? { api_key: $('api-key').value.trim() } : { username: $('username').value, password: $('password').value };
  const session = await api('POST', SESSION, body);
  $('password').value = '';
  $('api-key').value = '';
  await startSession(session);
  if (!location.hash || location.hash === '#/signin') {
    location.hash = '#/accounts';
  } else {
    await route();
  }
}

async function signOut() {
  try {
    await api('DELETE', SESSION);
  } finally {
    state.csrf = null;
    state.user = null;
    $('nav').hidden = true;
    location.hash = '';
    showView('signin');
    say('Signed out.');
  }
}

// ---- views ----------------------------------------------------------------------------------------------------

function showView(name) {
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== `view-${name}`; });
  $('nav').hidden = name === 'signin';
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.id === `nav-${name === 'tokens' ? 'accounts' : name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (name === 'signin') {
    $('username').focus();
  }
}

function hashParts() {
  return location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
}

async function route() {
  if (!state.csrf) {
    showView('signin');
    return;
  }
  clearMessages();
  const parts = hashParts();
  switch (parts[0]) {
    case 'tokens':
      await showTokens(parts[1], parts[2]);
      break;
    case 'apikeys':
      await showApiKeys();
      break;
    case 'nodes':
      await showNodes();
      break;
    default:
      await showAccounts();
  }
}

function cell(text, label) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
  td.dataset.label = label;
  return td;
}

function button(text, onClick, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (cls) b.className = cls;
  b.addEventListener('click', guarded(() => onClick(b)));
  return b;
}

function actionsCell(label, ...controls) {
  const td = document.createElement('td');
  td.dataset.label = label;
  td.className = 'actions';
  controls.filter(Boolean).forEach((c) => td.append(c, ' '));
  return td;
}

function date(ms) {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function replaceRows(table, rows, empty) {
  const body = $(table).tBodies[0];
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = $(table).tHead.rows[0].cells.length;
    td.textContent = empty;
    tr.append(td);
    rows = [tr];
  }
  body.replaceChildren(...rows);
}

// ---- service accounts -----------------------------------------------------------------------------------------

// the 9.x line lists both kinds; the 8.19 line lists built-in ones only, and user-managed ones when a namespace is named
async function listAllAccounts() {
  try {
    return await api('GET', '/_security/service?type=built_in,user_managed');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    return api('GET', '/_security/service');
  }
}

async function loadAccounts() {
  const namespace = $('account-filter-namespace').value.trim();
  const all = namespace ? await api('GET', `/_security/service/${enc(namespace)}`) : await listAllAccounts();
  return Object.entries(all || {}).map(([principal, a]) => {
    const [ns, svc] = principal.split('/');
    const userManaged = a.type === 'user_managed';
    const roles = userManaged ? (a.roles || []) : ((a.role_descriptor && a.role_descriptor.cluster) || []);
    return { principal, ns, svc, userManaged, roles, enabled: userManaged ? a.enabled : true, description: a.description };
  });
}

async function showAccounts() {
  showView('accounts');
  const accounts = await loadAccounts();
  const rows = accounts.map((a) => {
    const tr = document.createElement('tr');
    const link = document.createElement('a');
    link.href = `#/tokens/${accountPath(a.ns, a.svc)}`;
    link.textContent = 'Tokens';
    link.setAttribute('aria-label', `Tokens of ${a.principal}`);
    const name = document.createElement('td');
    name.dataset.label = 'Account';
    name.textContent = a.principal;
    tr.append(name, cell(a.userManaged ? 'user-managed' : 'built-in', 'Type'),
      cell(a.userManaged ? a.roles.join(', ') : `cluster: ${a.roles.join(', ')}`, 'Roles'),
      cell(a.enabled ? 'yes' : 'no', 'Enabled'), cell(a.description, 'Description'),
      actionsCell('Actions', link,
        a.userManaged && can('manage_security') && button('Edit', () => editAccount(a)),
        a.userManaged && can('manage_security') && button('Delete', () => deleteAccount(a), 'danger')));
    return tr;
  });
  replaceRows('accounts-table', rows, 'No service accounts.');
}

let accountEditing = null;

function editAccount(a) {
  accountEditing = a;
  $('account-title').textContent = a ? `Edit ${a.principal}` : 'Create service account';
  $('account-namespace').value = a ? a.ns : '';
  $('account-service').value = a ? a.svc : '';
  $('account-namespace').readOnly = !!a;
  $('account-service').readOnly = !!a;
  $('account-roles').value = a ? a.roles.join(', ') : '';
  $('account-description').value = a && a.description ? a.description : '';
  $('account-enabled').checked = a ? a.enabled : true;
  openDialog('account-dialog');
}

async function saveAccount(event) {
  event.preventDefault();
  const ns = $('account-namespace').value.trim();
  const svc = $('account-service').value.trim();
  const body = {
    roles: $('account-roles').value.split(',').map((r) => r.trim()).filter(Boolean),
    enabled: $('account-enabled').checked,
  };
  const description = $('account-description').value.trim();
  if (description) body.description = description;
  closeDialog('account-dialog');
  await api('PUT', `/_security/service/${accountPath(ns, svc)}`, body);
  $('account-filter-namespace').value = ns; // shown on both lines
  await showAccounts();
  say(`Service account ${ns}/${svc} saved.`);
}

async function deleteAccount(a) {
  if (!(await confirmAction(`Delete service account ${a.principal}?`, 'Delete'))) return;
  await api('DELETE', `/_security/service/${accountPath(a.ns, a.svc)}`);
  await showAccounts();
  say(`Service account ${a.principal} deleted.`);
}

// ---- tokens ---------------------------------------------------------------------------------------------------

function tokenQuery() {
  const q = new URLSearchParams();
  const unused = $('unused-for').value.trim();
  const expiring = $('expiring-within').value.trim();
  if (unused) q.set('unused_for', `${unused}d`);
  if (expiring) q.set('expiring_within', `${expiring}d`);
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function showTokens(ns, svc) {
  if (!state.account || state.account.ns !== ns || state.account.svc !== svc) {
    $('unused-for').value = '';
    $('expiring-within').value = '';
  }
  state.account = { ns, svc };
  showView('tokens');
  $('tokens-title').textContent = `Tokens of ${ns}/${svc}`;
  $('tokens-caption').textContent = `Tokens of ${ns}/${svc}`;
  document.querySelectorAll('[data-needs]').forEach(applyNeeds);
  await loadTokens();
}

async function loadTokens() {
  const { ns, svc } = state.account;
  const base = `/_svctoken/service/${accountPath(ns, svc)}/credential`;
  const list = await api('GET', base + tokenQuery());
  const change = canChangeTokens(ns);
  const rows = [];
  for (const [name, t] of Object.entries(list.tokens || {})) {
    const tr = document.createElement('tr');
    tr.dataset.token = name;
    const creator = t.created_by ? `${t.created_by.principal} (${t.created_by.realm})` : null;
    const expires = t.expiration === null || t.expiration === undefined ? 'never' : date(t.expiration) + (t.expired ? ' (expired)' : '');
    const tokenPath = `${base}/token/${enc(name)}`;
    const esPath = `/_security/service/${accountPath(ns, svc)}/credential/token/${enc(name)}`;
    tr.append(cell(name, 'Name'), cell(t.source, 'Source'), cell(t.last_used_node, 'Node'), cell(date(t.creation), 'Created'),
      cell(creator, 'Creator'), cell(t.last_used ? date(t.last_used) : 'no use recorded', 'Last used'), cell(expires, 'Expires'),
      cell(t.enabled ? 'yes' : 'no', 'Enabled'),
      actionsCell('Actions',
        change && (t.enabled
          ? button('Disable', () => tokenAction(`${tokenPath}/_disable`, `Token ${name} disabled.`))
          : button('Enable', () => tokenAction(`${tokenPath}/_enable`, `Token ${name} enabled.`))),
        change && button('Rotate', () => rotate(ns, svc, name, tokenPath)),
        change && button('Delete', () => deleteToken(ns, svc, name, esPath), 'danger'),
        change && button('Clear cache', () => tokenAction(`${esPath}/_clear_cache`, `Cache of token ${name} cleared.`))));
    rows.push(tr);
  }
  for (const [name, f] of Object.entries(list.file_tokens || {})) {
    const tr = document.createElement('tr');
    tr.dataset.token = name;
    const esPath = `/_security/service/${accountPath(ns, svc)}/credential/token/${enc(name)}`;
    tr.append(cell(name, 'Name'), cell('file', 'Source'), cell((f.nodes || []).join(', '), 'Node'), cell(null, 'Created'),
      cell(null, 'Creator'), cell(null, 'Last used'), cell('never', 'Expires'), cell('yes', 'Enabled'),
      actionsCell('Actions', change && button('Clear cache', () => tokenAction(`${esPath}/_clear_cache`, `Cache of token ${name} cleared.`))));
    rows.push(tr);
  }
  replaceRows('tokens-table', rows, tokenQuery() ? 'No token matches the filter.' : 'No tokens.');
  // the first paint of the token list, for the browser test's timing figure
  performance.mark('svctoken-tokens-rendered');
}

async function tokenAction(path, done) {
  await api('POST', path);
  await loadTokens();
  say(done);
}

async function createToken(event) {
  event.preventDefault();
  const { ns, svc } = state.account;
  const name = $('token-name').value.trim();
  const expiration = $('token-expiration').value.trim();
  const body = expiration ? { expiration } : undefined;
  const path = `/_svctoken/service/${accountPath(ns, svc)}/credential/token`;
  const created = await api('POST', name ? `${path}/${enc(name)}` : path, body);
  $('token-name').value = '';
  $('token-expiration').value = '';
  showValue(`${ns}/${svc}/${created.token.name}`, created.token.value);
  await loadTokens();
}

async function rotate(ns, svc, name, tokenPath) {
  $('rotate-title').textContent = `Rotate token ${ns}/${svc}/${name}`;
  $('rotate-name').value = '';
  $('rotate-grace').value = '1h';
  if (!(await dialogResult('rotate-dialog', 'rotate-form', 'rotate-cancel'))) return;
  const body = { grace: $('rotate-grace').value.trim() || '1h' };
  const newName = $('rotate-name').value.trim();
  if (newName) body.name = newName;
  const rotated = await api('POST', `${tokenPath}/_rotate`, body);
  showValue(`${ns}/${svc}/${rotated.token.name}`, rotated.token.value);
  await loadTokens();
}

async function deleteToken(ns, svc, name, esPath) {
  if (!(await confirmAction(`Delete token ${ns}/${svc}/${name}?`, 'Delete'))) return;
  await api('DELETE', esPath);
  await loadTokens();
  say(`Token ${ns}/${svc}/${name} deleted.`);
}

// ---- API keys -------------------------------------------------------------------------------------------------

async function showApiKeys() {
  showView('apikeys');
  const q = new URLSearchParams();
  const name = $('apikey-name').value.trim();
  const owner = $('apikey-owner').value.trim();
  if (name) q.set('name', name);
  if (owner) q.set('username', owner);
  if ($('apikey-active').checked) q.set('active_only', 'true');
  if (!can('manage_api_key') && !can('read_security')) q.set('owner', 'true');
  const list = await api('GET', `/_security/api_key?${q}`);
  const rows = (list.api_keys || []).map((k) => {
    const tr = document.createElement('tr');
    const mine = k.username === state.user;
    const status = k.invalidated ? 'invalidated' : (k.expiration && k.expiration < Date.now() ? 'expired' : 'active');
    const mayInvalidate = !k.invalidated && (can('manage_api_key') || can('manage_security') || (mine && can('manage_own_api_key')));
    tr.append(cell(k.name, 'Name'), cell(k.id, 'ID'), cell(`${k.username} (${k.realm})`, 'Owner'), cell(date(k.creation), 'Created'),
      cell(k.expiration ? date(k.expiration) : 'never', 'Expires'), cell(status, 'Status'),
      actionsCell('Actions', mayInvalidate && button('Invalidate', () => invalidateKey(k), 'danger')));
    return tr;
  });
  replaceRows('apikeys-table', rows, 'No API keys.');
}

async function invalidateKey(k) {
  if (!(await confirmAction(`Invalidate API key ${k.name || ''} (${k.id})?`, 'Invalidate'))) return;
  await api('DELETE', '/_security/api_key', { ids: [k.id] });
  await showApiKeys();
  say(`API key ${k.id} invalidated.`);
}

// ---- nodes ----------------------------------------------------------------------------------------------------

async function showNodes() {
  showView('nodes');
  const r = await api('GET', '/_svctoken/cluster/nodes');
  $('nodes-cluster').textContent = `Cluster ${r.cluster_name}`;
  const rows = (r.nodes || []).map((n) => {
    const tr = document.createElement('tr');
    const age = n.last_heartbeat_age_in_millis;
    tr.append(cell(n.name, 'Name'), cell(n.http_address, 'HTTP address'), cell(n.status, 'Status'),
      cell(age === null || age === undefined ? null : `${(age / 1000).toFixed(1)} s ago`, 'Last heartbeat'),
      cell(`${n.invalidation_lag} events`, 'Invalidation lag'));
    return tr;
  });
  replaceRows('nodes-table', rows, 'No nodes.');
}

// ---- dialogs --------------------------------------------------------------------------------------------------

const returnFocus = new Map();

function openDialog(id) {
  returnFocus.set(id, document.activeElement);
  $(id).showModal();
}

function closeDialog(id) {
  if ($(id).open) $(id).close();
}

// a dialog gives the focus back to where it was opened from, however it was closed (button, Escape)
function restoreFocus(id) {
  const back = returnFocus.get(id);
  returnFocus.delete(id);
  if (back && back.isConnected) back.focus();
}

function dialogResult(id, formId, cancelId) {
  return new Promise((resolve) => {
    const dialog = $(id);
    const done = (ok) => {
      dialog.removeEventListener('close', onClose);
      $(formId).removeEventListener('submit', onSubmit);
      $(cancelId).removeEventListener('click', onCancel);
      closeDialog(id);
      resolve(ok);
    };
    const onClose = () => done(false);
    const onSubmit = (e) => { e.preventDefault(); done(true); };
    const onCancel = () => done(false);
    dialog.addEventListener('close', onClose);
    $(formId).addEventListener('submit', onSubmit);
    $(cancelId).addEventListener('click', onCancel);
    openDialog(id);
  });
}

function confirmAction(text, okText) {
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okText;
  return new Promise((resolve) => {
    const dialog = $('confirm-dialog');
    const done = (ok) => {
      dialog.removeEventListener('close', onClose);
      $('confirm-ok').removeEventListener('click', onOk);
      $('confirm-cancel').removeEventListener('click', onClose);
      closeDialog('confirm-dialog');
      resolve(ok);
    };
    const onOk = () => done(true);
    const onClose = () => done(false);
    dialog.addEventListener('close', onClose);
    $('confirm-ok').addEventListener('click', onOk);
    $('confirm-cancel').addEventListener('click', onClose);
    openDialog('confirm-dialog');
    $('confirm-cancel').focus(); // the safe choice first
  });
}

function showValue(name, value) {
  $('value-name').textContent = name;
  $('token-value').value = value;
  $('value-copied').textContent = '';
  openDialog('value-dialog');
  $('value-copy').focus();
}

async function copyValue() {
  const input = $('token-value');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select(); // no clipboard access (plain HTTP): select it for Ctrl+C
    document.execCommand('copy');
  }
  $('value-copied').textContent = 'Copied.';
}

// ---- start ----------------------------------------------------------------------------------------------------

function wire() {
  $('signin-form').addEventListener('submit', guarded(signIn));
  document.querySelectorAll('input[name="method"]').forEach((r) => r.addEventListener('change', () => {
    const byKey = $('method-apikey').checked;
    $('password-fields').hidden = byKey;
    $('apikey-fields').hidden = !byKey;
  }));
  $('sign-out').addEventListener('click', guarded(signOut));
  $('account-new').addEventListener('click', () => editAccount(null));
  $('account-filter').addEventListener('submit', guarded(async (e) => { e.preventDefault(); clearMessages(); await showAccounts(); }));
  $('account-form').addEventListener('submit', guarded(saveAccount));
  $('account-cancel').addEventListener('click', () => closeDialog('account-dialog'));
  $('token-filter').addEventListener('submit', guarded(async (e) => { e.preventDefault(); clearMessages(); await loadTokens(); }));
  $('filter-clear').addEventListener('click', guarded(async () => {
    $('unused-for').value = '';
    $('expiring-within').value = '';
    await loadTokens();
  }));
  $('token-create').addEventListener('submit', guarded(createToken));
  $('apikey-filter').addEventListener('submit', guarded(async (e) => { e.preventDefault(); clearMessages(); await showApiKeys(); }));
  $('value-copy').addEventListener('click', guarded(copyValue));
  $('value-close').addEventListener('click', () => closeDialog('value-dialog'));
  // the value leaves the page when its dialog closes: it is shown once
  $('value-dialog').addEventListener('close', () => { $('token-value').value = ''; });
  ['value-dialog', 'confirm-dialog', 'rotate-dialog', 'account-dialog'].forEach((id) => $(id).addEventListener('close', () => restoreFocus(id)));
  window.addEventListener('hashchange', guarded(route));
}

async function start() {
  wire();
  // the token list is read while the session is: the first paint needs both, not one after the other
  const parts = hashParts();
  if (parts[0] === 'tokens' && parts[1] && parts[2]) {
    prefetch(`/_svctoken/service/${accountPath(parts[1], parts[2])}/credential`);
  }
  let session = null;
  try {
    session = await api('GET', SESSION);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) showError(e);
  }
  try {
    if (session) {
      await startSession(session);
    }
    await route();
  } finally {
    prefetched.clear();
  }
}

guarded(start)();
