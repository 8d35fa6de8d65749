// An Auth0-like runner of Rules on Node.js, written for RulesMfa's differential tests.
// Reads {modulesRoot, now, cases: [{id, source, configuration, user, context}]} as JSON on stdin and writes one
// result per case as a JSON array on stdout: what the rule decided, in the fields MfaDecision compares.
// Each case runs in a fresh vm context with the clock fixed at `now`; modules load from the same installed
// folder RulesMfa reads, through a CommonJS loader that resolves as RulesMfa's does.
'use strict';
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const nodeCrypto = require('crypto');
// Auth0's jwt global was jsonwebtoken; it reads the host's clock, fixed to the cases' clock in main().
const jsonwebtoken = require(path.join(__dirname, 'node_modules', 'jsonwebtoken'));

const reservedClaims = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'sid', 'at_hash', 'c_hash', 'jti']);

function resolvePath(candidate) {
  for (const extension of ['', '.js', '.json']) {
    if (fs.existsSync(candidate + extension) && fs.statSync(candidate + extension).isFile()) { return candidate + extension; }
  }
  if (!fs.existsSync(candidate) || !fs.statSync(candidate).isDirectory()) { return null; }
  const manifest = path.join(candidate, 'package.json');
  if (fs.existsSync(manifest)) {
    const main = JSON.parse(fs.readFileSync(manifest, 'utf8')).main;
    const viaMain = main && resolvePath(path.resolve(candidate, main));
    if (viaMain) { return viaMain; }
  }
  const index = path.join(candidate, 'index.js');
  return fs.existsSync(index) ? index : null;
}

function moduleLoader(sandbox, modulesRoot) {
  const nodeModules = path.join(modulesRoot, 'node_modules');
  const allowed = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(modulesRoot, 'package.json'), 'utf8')).dependencies));
  const cache = new Map();
  const { Error: SandboxError, TypeError: SandboxTypeError, JSON: SandboxJSON } = vm.runInContext('({ Error, TypeError, JSON })', sandbox);
  const notAvailable = (request) => new SandboxError(`module '${request}' is not available in rules`);

  function packageOf(request) {
    if (request === '' || request.startsWith('.') || request.startsWith('/') || request.includes('..')) { return null; }
    const parts = request.split('/');
    const nameParts = request.startsWith('@') ? 2 : 1;
    let name = parts.slice(0, nameParts).join('/');
    const at = name.indexOf('@', request.startsWith('@') ? 1 : 0);
    if (at > 0) { name = name.slice(0, at); }
    return { name, subpath: parts.slice(nameParts).join('/') };
  }

  function load(request, from) {
    if (request === 'crypto') { return nodeCrypto; }
    if (request === 'buffer') { return { Buffer }; }
    let file = null;
    if (from === null) {
      const specifier = packageOf(request);
      file = specifier && allowed.has(specifier.name) ? resolvePath(path.join(nodeModules, specifier.name, specifier.subpath)) : null;
    } else if (request.startsWith('./') || request.startsWith('../')) {
      file = resolvePath(path.resolve(path.dirname(from), request));
    } else {
      for (let directory = path.dirname(from); directory.startsWith(nodeModules + path.sep) && !file; directory = path.dirname(directory)) {
        if (path.basename(directory) !== 'node_modules') { file = resolvePath(path.join(directory, 'node_modules', request)); }
      }
      file = file || resolvePath(path.join(nodeModules, request));
    }
    if (!file || !path.resolve(file).startsWith(nodeModules + path.sep)) { throw notAvailable(request); }
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

function freezeCopy(configuration) {
  return Object.freeze(Object.assign({}, configuration));
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

  const settled = { called: false, error: undefined, user, context };
  const callback = (error, nextUser, nextContext) => {
    if (settled.called) { return; }
    settled.called = true;
    settled.error = error;
    if (nextUser !== null && typeof nextUser === 'object') { settled.user = nextUser; }
    if (nextContext !== null && typeof nextContext === 'object') { settled.context = nextContext; }
  };
  return { sandbox, settled, timers, appMetadata, userMetadata, start() {
    const rule = vm.runInContext(`0,${testCase.source}\n`, sandbox, { filename: testCase.id });
    return rule(user, context, callback);
  } };
}

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

async function evaluate(testCase, now, modulesRoot) {
  const run = runCase(testCase, now, modulesRoot);
  const result = { id: testCase.id, input: testCase.input, status: 'ok', outcome: 'allow', multifactor: null, error: null,
    idTokenClaims: {}, accessTokenClaims: {}, appMetadata: run.appMetadata, userMetadata: run.userMetadata };
  let rejection = null;
  try {
    const returned = run.start();
    if (returned && typeof returned.then === 'function') {
      await Promise.resolve(returned).catch((error) => { rejection = { error }; });
    }
  } catch (error) {
    rejection = { error };
  }
  // Let every promise job and immediate the rule started run, as RulesMfa drains its queue before reading the result.
  for (let turn = 0; turn < 20 || (run.timers.size > 0 && turn < 5000); turn++) { await new Promise((resolve) => setTimeout(resolve, turn < 20 ? 0 : 1)); }
  const { settled } = run;
  if (rejection) {
    Object.assign(result, { status: 'error', outcome: 'deny', error: errorOf(rejection.error) });
  } else if (!settled.called) {
    Object.assign(result, { status: 'timeout', outcome: 'deny', error: { code: 'access_denied', description: null } });
  } else if (settled.error !== null && settled.error !== undefined) {
    Object.assign(result, { status: 'denied', outcome: 'deny', error: errorOf(settled.error) });
  } else {
    const context = settled.context;
    result.multifactor = multifactorOf(context.multifactor);
    result.outcome = result.multifactor && result.multifactor.provider !== 'none' ? 'mfa' : 'allow';
    result.idTokenClaims = claimsOf(context.idToken);
    result.accessTokenClaims = claimsOf(context.accessToken);
  }
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
