// A lean JSON-over-HTTP client for the benchmarks: node:http with keep-alive sockets, so that the
// client costs little CPU next to the services it measures (global fetch costs noticeably more).
const http = require('node:http');
const { Buffer } = require('node:buffer');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/**
 * One request. Resolves { status, body, ms } for every HTTP answer (4xx and 5xx included);
 * rejects only when there is no answer (connection refused, timeout).
 */
function request(method, url, { token, body, headers = {}, timeoutMs = 60000 } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { accept: 'application/json', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    h['content-type'] = 'application/json';
    h['content-length'] = Buffer.byteLength(payload);
  }
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: h, agent, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, body: parsed, ms });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function login(intakeUrl, username, password = 'hotline12345') {
  const r = await request('POST', `${intakeUrl}/api/v1/auth/login`, { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

function close() {
  agent.destroy();
}

module.exports = { request, login, close };
