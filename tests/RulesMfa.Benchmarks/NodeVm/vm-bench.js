// The Node.js side of NodeVmBenchmarks: the same Rules on the same login, run on the vm module as Auth0 ran them,
// either in a fresh context per login or in one context reused by every login (the isolation of Auth0's per-tenant
// containers: a login sees what earlier logins left in the context).
//
//   node vm-bench.js <rules folder> <login.json> <configuration.json> <now, ISO 8601>
//
// Reads lines "fresh <count>" or "reused <count>" on stdin, runs that many logins and answers one line: the last
// login's decision as JSON, so the benchmark can check both sides decide alike. Every rule is compiled once
// (vm.Script), as RulesMfa compiles a tenant's rules once.
'use strict';
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const [rulesFolder, loginFile, configurationFile, nowText] = process.argv.slice(2);
const now = Date.parse(nowText);
const rules = fs.readdirSync(rulesFolder).filter((name) => /^\d+-.*\.js$/.test(name)).sort()
  .map((name) => fs.readFileSync(path.join(rulesFolder, name), 'utf8'))
  .filter((source) => !/exports\.onExecute/.test(source))
  .map((source, index) => new vm.Script(`0,${source}\n`, { filename: `rule-${index}.js` }));
const loginJson = fs.readFileSync(loginFile, 'utf8');
const configuration = JSON.parse(fs.readFileSync(configurationFile, 'utf8'));
const fixedClock = new vm.Script(`
  (() => {
    const FixedNow = ${now};
    const RealDate = Date;
    globalThis.Date = new Proxy(RealDate, {
      construct(target, args, newTarget) { return Reflect.construct(target, args.length === 0 ? [FixedNow] : args, newTarget); },
      apply() { return new RealDate(FixedNow).toString(); },
    });
    RealDate.now = () => FixedNow;
    globalThis.UnauthorizedError = class UnauthorizedError extends Error {
      constructor(message) { super(message); this.name = 'UnauthorizedError'; }
    };
  })();`);
const silentConsole = { log() {}, info() {}, debug() {}, warn() {}, error() {} };

function createContext() {
  const sandbox = vm.createContext({});
  fixedClock.runInContext(sandbox);
  sandbox.global = sandbox;
  sandbox.console = silentConsole;
  return { sandbox, compiled: rules.map((rule) => rule.runInContext(sandbox)), ...vm.runInContext('({ JSON, Promise })', sandbox) };
}

// One login: its own configuration, auth0 and inputs (parsed in the context, as a context's own objects), the rules in order.
async function login(realm) {
  const { sandbox, JSON: realmJson, Promise: RealmPromise } = realm;
  const metadata = {};
  sandbox.configuration = { ...configuration };
  sandbox.auth0 = {
    domain: 'localhost',
    users: {
      updateAppMetadata: (userId, value) => { metadata.app = value; return RealmPromise.resolve(); },
      updateUserMetadata: (userId, value) => { metadata.user = value; return RealmPromise.resolve(); },
    },
  };
  const parsed = realmJson.parse(loginJson);
  let state = { user: parsed.user, context: parsed.context };
  for (const rule of realm.compiled) {
    const outcome = await new Promise((resolve) => {
      const callback = (error, user, context) => resolve({ error, user: user || state.user, context: context || state.context });
      try {
        const returned = rule(state.user, state.context, callback);
        if (returned && typeof returned.then === 'function') { returned.then(undefined, (error) => resolve({ error })); }
      } catch (error) {
        resolve({ error });
      }
    });
    if (outcome.error) { return { outcome: 'deny', error: String(outcome.error.message || outcome.error) }; }
    state = outcome;
  }
  const multifactor = state.context.multifactor;
  return { outcome: multifactor ? 'mfa' : 'allow', multifactor: multifactor ? JSON.parse(JSON.stringify(multifactor)) : null };
}

let reused = null;
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const [mode, countText] = line.trim().split(/\s+/);
  const count = Number(countText);
  let decision = null;
  for (let index = 0; index < count; index++) {
    const realm = mode === 'fresh' ? createContext() : (reused ??= createContext());
    decision = await login(realm);
  }
  process.stdout.write(`${JSON.stringify(decision)}\n`);
});
