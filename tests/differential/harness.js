// An Auth0-like runner of Rules on Node.js, written for RulesMfa's differential tests.
// Reads {modulesRoot, now, cases: [{id, rules: [{id, source}], configuration, user, context}]} as JSON on stdin and
// writes one result per case as a JSON array on stdout: what the rules decided, in the fields MfaDecision compares.
// Each case runs its rules one after another, as Auth0 ran a tenant's pipeline, in one fresh vm context with the
// clock fixed at `now`. Modules are the packages installed in modulesRoot, found by Node's own resolution
// (require.resolve) and allowed by this harness's own list (package.json "ruleModules"), not by RulesMfa's code.
'use strict';
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const nodeCrypto = require('crypto');
// Auth0's jwt global was jsonwebtoken; it reads the host's clock, fixed to the cases' clock in main().
const jsonwebtoken = require(path.join(__dirname, 'node_modules', 'jsonwebtoken'));

const reservedClaims = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'sid', 'at_hash', 'c_hash', 'jti']);

// The packages Auth0 let rules require, by name (any version specifier resolves to the one installed here).
const ruleModules = new Set(JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8')).ruleModules);

function moduleLoader(sandbox, modulesRoot) {
  const cache = new Map();
  const { Error: SandboxError, TypeError: SandboxTypeError, JSON: SandboxJSON } = vm.runInContext('({ Error, TypeError, JSON })', sandbox);
  const notAvailable = (request) => new SandboxError(`module '${request}' is not available in rules`);

  // 'lodash@4.17.19/get' -> 'lodash/get'; null for paths and names outside the list.
  function allowedRequest(request) {
    const scoped = request.startsWith('@');
    const parts = request.split('/');
    const head = parts.slice(0, scoped ? 2 : 1).join('/');
    const at = head.indexOf('@', scoped ? 1 : 0);
    const name = at > 0 ? head.slice(0, at) : head;
    return ruleModules.has(name) ? [name, ...parts.slice(scoped ? 2 : 1)].join('/') : null;
  }

  function resolve(request, paths) {
    try { return require.resolve(request, { paths }); } catch { return null; }
  }

  function load(request, from) {
    if (request === 'crypto') { return nodeCrypto; }
    if (request === 'buffer') { return { Buffer }; }
    const allowed = from === null ? allowedRequest(request) : request;
    const file = allowed && resolve(allowed, [from === null ? modulesRoot : path.dirname(from)]);
    if (file && !path.isAbsolute(file)) { return require(file); } // a core module, as Node gives it (querystring, url)
    if (!file) { throw notAvailable(request); }
    if (cache.has(file)) { return cache.get(file).exports; }
    const module = { exports: {}, id: file };
    cache.set(file, module);
    if (file.endsWith('.json')) {
      module.exports = SandboxJSON.parse(fs.readFileSync(file, 'utf8'));
      return module.exports;
    }
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname, Uint8Array, Buffer) {${fs.readFileSync(file, 'utf8')}\n})`, sandbox, { filename: file });
    wrapper(module.exports, (inner) => load(String(inner), file), module, file, path.dirname(file), Uint8Array, Buffer);
    return module.exports;
  }

  return function require(request) {
    if (typeof request !== 'string') { throw new SandboxTypeError('require needs a module name as a string'); }
    return load(request, null);
  };
}

function runCase(testCase, now, modulesRoot) {
  const appMetadata = {};
  const userMetadata = {};
  const sandbox = vm.createContext({});
  vm.runInContext(`
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
    })();`, sandbox);
  const { Promise: SandboxPromise, Error: SandboxError } = vm.runInContext('({ Promise, Error })', sandbox);
  const metadataUpdater = (patch) => (userId, metadata) => {
    if (userId !== testCase.user.user_id) { return SandboxPromise.reject(new SandboxError('can only update the user who is logging in')); }
    Object.assign(patch, JSON.parse(JSON.stringify(metadata)));
    return SandboxPromise.resolve();
  };
  sandbox.global = sandbox;
  sandbox.configuration = testCase.configuration;
  sandbox.console = { log() {}, info() {}, debug() {}, warn() {}, error() {} };
  sandbox.auth0 = { domain: 'localhost', users: { updateAppMetadata: metadataUpdater(appMetadata), updateUserMetadata: metadataUpdater(userMetadata) } };
  sandbox.Buffer = Buffer;
  sandbox.jwt = jsonwebtoken;
  const timers = new Set();
  sandbox.setTimeout = (fn, ms, ...args) => {
    const timer = setTimeout(() => { timers.delete(timer); fn(...args); }, ms);
    timers.add(timer);
    return timer;
  };
  sandbox.clearTimeout = (timer) => { timers.delete(timer); clearTimeout(timer); };
  sandbox.setImmediate = (fn, ...args) => sandbox.setTimeout(fn, 0, ...args);
  sandbox.clearImmediate = sandbox.clearTimeout;
  sandbox.require = moduleLoader(sandbox, modulesRoot);
  Object.defineProperty(sandbox, 'uuid', { get: () => sandbox.require('uuid'), configurable: true });
  const user = vm.runInContext(`(${JSON.stringify(testCase.user)})`, sandbox);
  const context = vm.runInContext(`(${JSON.stringify(testCase.context)})`, sandbox);

  return { sandbox, timers, appMetadata, userMetadata, user, context };
}

// Runs one Rule of the pipeline on the state the previous one left: the first call of its callback counts.
function runRule(run, rule, state) {
  const settled = { called: false, error: undefined, user: state.user, context: state.context };
  const callback = (error, nextUser, nextContext) => {
    if (settled.called) { return; }
    settled.called = true;
    settled.error = error;
    if (nextUser !== null && typeof nextUser === 'object') { settled.user = nextUser; }
    if (nextContext !== null && typeof nextContext === 'object') { settled.context = nextContext; }
  };
  const compiled = vm.runInContext(`0,${rule.source}\n`, run.sandbox, { filename: rule.id });
  return { settled, start: () => compiled(state.user, state.context, callback) };
}

// Auth0's documentation of Rules errors: `callback(new UnauthorizedError(message))` reaches the application as
// error=unauthorized with the message as its description; any other error as error=access_denied.
function errorOf(error) {
  if (error !== null && typeof error === 'object') {
    const code = error.name === 'UnauthorizedError' ? 'unauthorized' : 'access_denied';
    return { code, description: typeof error.message === 'string' ? error.message : String(error) };
  }
  return { code: 'access_denied', description: String(error) };
}

function multifactorOf(multifactor) {
  if (multifactor !== null && typeof multifactor === 'object' && typeof multifactor !== 'function') {
    const request = JSON.parse(JSON.stringify(multifactor)) || {};
    if (typeof request.provider !== 'string') { request.provider = 'any'; }
    return request;
  }
  if (typeof multifactor === 'string') { return { provider: multifactor }; }
  return multifactor ? { provider: 'any' } : null;
}

function claimsOf(claims) {
  const result = {};
  if (claims === null || typeof claims !== 'object') { return result; }
  for (const key of Object.keys(claims)) {
    const value = JSON.stringify(claims[key]);
    if (value !== undefined) { result[key] = JSON.parse(value); }
  }
  return result;
}

// Let every promise job and timer the rule started run, as RulesMfa drains its queue before reading the result.
async function drain(timers) {
  for (let turn = 0; turn < 20 || (timers.size > 0 && turn < 5000); turn++) { await new Promise((resolve) => setTimeout(resolve, turn < 20 ? 0 : 1)); }
}

async function evaluate(testCase, now, modulesRoot) {
  const run = runCase(testCase, now, modulesRoot);
  const result = { id: testCase.id, input: testCase.input, status: 'ok', outcome: 'allow', multifactor: null, error: null,
    idTokenClaims: {}, accessTokenClaims: {}, appMetadata: run.appMetadata, userMetadata: run.userMetadata };
  let state = { user: run.user, context: run.context };
  for (const rule of testCase.rules) {
    const { settled, start } = runRule(run, rule, state);
    let rejection = null;
    try {
      const returned = start();
      if (returned && typeof returned.then === 'function') {
        await Promise.resolve(returned).catch((error) => { rejection = { error }; });
      }
    } catch (error) {
      rejection = { error };
    }
    await drain(run.timers);
    if (rejection) {
      return Object.assign(result, { status: 'error', outcome: 'deny', error: errorOf(rejection.error) });
    }
    if (!settled.called) {
      return Object.assign(result, { status: 'timeout', outcome: 'deny', error: { code: 'access_denied', description: null } });
    }
    if (settled.error !== null && settled.error !== undefined) {
      return Object.assign(result, { status: 'denied', outcome: 'deny', error: errorOf(settled.error) });
    }
    state = { user: settled.user, context: settled.context };
  }
  const context = state.context;
  result.multifactor = multifactorOf(context.multifactor);
  result.outcome = result.multifactor && result.multifactor.provider !== 'none' ? 'mfa' : 'allow';
  result.idTokenClaims = claimsOf(context.idToken);
  result.accessTokenClaims = claimsOf(context.accessToken);
  return result;
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const fixedNow = Date.parse(input.now);
  Date.now = () => fixedNow;
  const results = [];
  for (const testCase of input.cases) {
    results.push(await evaluate(testCase, Date.parse(input.now), input.modulesRoot));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
