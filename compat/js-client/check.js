// Elasticsearch's official JavaScript client (pinned in package.json) against a running svctoken:
// every security API svctoken serves, over HTTPS with the node's CA, with the statuses Elasticsearch
// answers. Prints one line per call; exits 1 when any call did not end as expected.
// Environment: SVCTOKEN_URL, SVCTOKEN_CA (PEM file), ELASTIC_PASSWORD.
'use strict';
const { Client } = require('@elastic/elasticsearch');
const fs = require('fs');

const node = process.env.SVCTOKEN_URL;
const ca = fs.readFileSync(process.env.SVCTOKEN_CA);
const password = process.env.ELASTIC_PASSWORD;
const client = (auth, extra = {}) => new Client({ node, auth, tls: { ca }, ...extra });
const admin = client({ username: 'elastic', password });
let failures = 0;

// expected: 'ok' or an HTTP status the client must raise as a ResponseError
async function step(name, expected, call, check = () => true) {
  try {
    const r = await call();
    const good = expected === 'ok' && check(r);
    failures += good ? 0 : 1;
    console.log(`${good ? 'PASS' : 'FAIL'} ${name}: ${JSON.stringify(r).slice(0, 120)}`);
    return r;
  } catch (e) {
    const status = e.meta ? e.meta.statusCode : undefined;
    const good = status === expected;
    failures += good ? 0 : 1;
    console.log(`${good ? 'PASS' : 'FAIL'} ${name}: ${e.name} ${status === undefined ? '' : status} ${e.message.split('\n')[0].slice(0, 160)}`);
    return undefined;
  }
}

(async () => {
  await step('info', 'ok', () => admin.info(), r => r.version && r.tagline === 'You Know, for Search');
  await step('ping', 'ok', () => admin.ping(), r => r === true);
  await step('authenticate as elastic', 'ok', () => admin.security.authenticate(), r => r.username === 'elastic');
  await step('getServiceAccounts', 'ok', () => admin.security.getServiceAccounts({ namespace: 'elastic', service: 'fleet-server' }),
    r => 'elastic/fleet-server' in r);
  const token = await step('createServiceToken', 'ok',
    () => admin.security.createServiceToken({ namespace: 'elastic', service: 'fleet-server', name: 'js1' }), r => r.created === true);
  await step('createServiceToken again', 409,
    () => admin.security.createServiceToken({ namespace: 'elastic', service: 'fleet-server', name: 'js1' }));
  await step('createServiceToken, generated name', 'ok', () => admin.security.createServiceToken({ namespace: 'elastic', service: 'kibana' }),
    r => /^token_/.test(r.token.name));
  await step('getServiceCredentials', 'ok', () => admin.security.getServiceCredentials({ namespace: 'elastic', service: 'fleet-server' }),
    r => r.count === 1 && 'js1' in r.tokens);
  await step('clearCachedServiceTokens', 'ok',
    () => admin.security.clearCachedServiceTokens({ namespace: 'elastic', service: 'fleet-server', name: 'js1' }), r => r._nodes.total === 1);
  if (token) {
    const svc = client({ bearer: token.token.value });
    await step('authenticate as the service token', 'ok', () => svc.security.authenticate(), r => r.username === 'elastic/fleet-server');
    await step('service token on the user API', 403, () => svc.security.getUser());
  }
  await step('putRole', 'ok', () => admin.security.putRole({ name: 'js_role', cluster: ['manage_service_account'] }), r => r.role.created);
  await step('getRole', 'ok', () => admin.security.getRole({ name: 'js_role' }), r => 'js_role' in r);
  const gzip = client({ username: 'elastic', password }, { compression: true });
  await step('putUser, gzip-compressed body', 'ok', () => gzip.security.putUser({ username: 'jsuser', password: 'js-password', roles: ['js_role'] }),
    r => r.created === true);
  await step('getUser', 'ok', () => admin.security.getUser({ username: 'jsuser' }), r => r.jsuser.roles[0] === 'js_role');
  await step('changePassword', 'ok', () => admin.security.changePassword({ username: 'jsuser', password: 'js-password-2' }));
  await step('authenticate as the user', 'ok', () => client({ username: 'jsuser', password: 'js-password-2' }).security.authenticate(),
    r => r.authentication_realm.type === 'native');
  await step('disableUser', 'ok', () => admin.security.disableUser({ username: 'jsuser' }));
  await step('disabled user', 401, () => client({ username: 'jsuser', password: 'js-password-2' }).security.authenticate());
  await step('enableUser', 'ok', () => admin.security.enableUser({ username: 'jsuser' }));
  const key = await step('createApiKey', 'ok',
    () => admin.security.createApiKey({ name: 'jskey', expiration: '1d', role_descriptors: { r: { cluster: ['monitor'] } } }), r => !!r.encoded);
  await step('getApiKey', 'ok', () => admin.security.getApiKey({ name: 'jskey' }), r => r.api_keys.length === 1);
  if (key) {
    await step('authenticate with the API key', 'ok', () => client({ apiKey: key.encoded }).security.authenticate(),
      r => r.authentication_type === 'api_key');
  }
  if (key) {
    await step('updateApiKey', 'ok', () => admin.security.updateApiKey({ id: key.id, metadata: { js: 1 } }), r => r.updated === true);
    await step('bulkUpdateApiKeys', 'ok', () => admin.security.bulkUpdateApiKeys({ ids: [key.id], metadata: { js: 1 } }),
      r => r.updated.length === 0 && r.noops[0] === key.id);
  }
  await step('queryApiKeys', 'ok', () => admin.security.queryApiKeys({ query: { bool: { must: [{ term: { name: 'jskey' } }] } },
    sort: [{ creation: 'desc' }] }), r => r.total === 1 && r.count === 1 && r.api_keys[0].name === 'jskey' && r.api_keys[0]._sort.length === 1);
  await step('grantApiKey', 'ok', () => admin.security.grantApiKey({ grant_type: 'password', username: 'jsuser', password: 'js-password-2',
    api_key: { name: 'jsgranted' } }), r => r.name === 'jsgranted' && !!r.encoded);
  await step('grantApiKey, wrong password', 403, () => admin.security.grantApiKey({ grant_type: 'password', username: 'jsuser',
    password: 'not-it', api_key: { name: 'jsgranted' } }));
  await step('createCrossClusterApiKey', 'ok', () => admin.security.createCrossClusterApiKey({ name: 'jscc',
    access: { search: [{ names: ['logs-*'] }] } }), r => !!r.encoded);
  await step('invalidateApiKey', 'ok', () => admin.security.invalidateApiKey({ name: 'jskey' }), r => r.invalidated_api_keys.length === 1);
  if (key) {
    await step('invalidated API key', 401, () => client({ apiKey: key.encoded }).security.authenticate());
  }
  await step('enrollKibana', 'ok', () => admin.security.enrollKibana(), r => /^enroll-process-token-/.test(r.token.name) && !!r.http_ca);
  await step('deleteServiceToken', 'ok', () => admin.security.deleteServiceToken({ namespace: 'elastic', service: 'fleet-server', name: 'js1' }),
    r => r.found === true);
  await step('deleteServiceToken again', 404,
    () => admin.security.deleteServiceToken({ namespace: 'elastic', service: 'fleet-server', name: 'js1' }));
  await step('hasPrivileges as the user', 'ok', () => client({ username: 'jsuser', password: 'js-password-2' }).security.hasPrivileges(
    { cluster: ['manage_service_account', 'manage_security'], index: [{ names: ['logs-*'], privileges: ['read'] }] }),
  r => r.username === 'jsuser' && r.has_all_requested === false && r.cluster.manage_service_account === true
    && r.cluster.manage_security === false && r.index['logs-*'].read === false);
  await step('hasPrivileges of another user', 400, () => admin.security.hasPrivileges({ user: 'jsuser', cluster: ['monitor'] }));
  await step('getUserPrivileges', 'ok', () => admin.security.getUserPrivileges(), r => r.cluster.includes('all'));
  await step('putPrivileges', 'ok', () => admin.security.putPrivileges({ privileges: { jsapp: { read: { actions: ['data:read/*'] } } } }),
    r => r.jsapp.read.created === true);
  await step('getPrivileges', 'ok', () => admin.security.getPrivileges({ application: 'jsapp', name: 'read' }),
    r => r.jsapp.read.actions[0] === 'data:read/*');
  await step('deletePrivileges', 'ok', () => admin.security.deletePrivileges({ application: 'jsapp', name: 'read' }), r => r.jsapp.read.found);
  const tok = await step('getToken, password grant', 'ok',
    () => admin.security.getToken({ grant_type: 'password', username: 'jsuser', password: 'js-password-2' }),
    r => !!r.access_token && r.type === 'Bearer' && !!r.refresh_token && r.authentication.username === 'jsuser');
  if (tok) {
    await step('authenticate with the access token', 'ok', () => client({ bearer: tok.access_token }).security.authenticate(),
      r => r.username === 'jsuser' && r.authentication_type === 'token');
    await step('getToken, refresh_token grant', 'ok',
      () => admin.security.getToken({ grant_type: 'refresh_token', refresh_token: tok.refresh_token }), r => !!r.access_token);
    await step('invalidateToken', 'ok', () => admin.security.invalidateToken({ token: tok.access_token }), r => r.invalidated_tokens === 1);
    await step('invalidated access token', 401, () => client({ bearer: tok.access_token }).security.authenticate());
  }
  await step('getToken, wrong password', 401,
    () => admin.security.getToken({ grant_type: 'password', username: 'jsuser', password: 'not-the-password' }));
  await step('deleteUser', 'ok', () => admin.security.deleteUser({ username: 'jsuser' }), r => r.found === true);
  await step('deleteRole', 'ok', () => admin.security.deleteRole({ name: 'js_role' }), r => r.found === true);
  await step('wrong password', 401, () => client({ username: 'elastic', password: 'wrong-password' }).security.authenticate());
  console.log(failures === 0 ? 'all calls ended as Elasticsearch ends them' : `${failures} call(s) did not`);
  process.exit(failures === 0 ? 0 : 1);
})();
