// Shared by /app and /admin: JSON over fetch with the session cookie, and safe text output.
export async function getJson(url, options = {}) {
  const response = await fetch(url, { credentials: 'same-origin', ...options });
  let body = null;
  const text = await response.text();
  if (text) {
    try { body = JSON.parse(text); } catch { body = { error: text }; }
  }
  return { status: response.status, ok: response.ok, body, headers: response.headers };
}

let rpcId = 0;

// JSON-RPC 2.0 to the sequencer's endpoint; the session cookie identifies the caller.
export async function rpc(method, params) {
  const { status, body } = await getJson('/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
  });
  if (!body) {
    return { error: { code: status, message: 'empty reply (HTTP ' + status + ')' } };
  }
  return body;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function definitionList(pairs) {
  const list = el('dl');
  for (const [term, value] of pairs) {
    list.append(el('dt', {}, term), el('dd', { class: 'mono' }, value ?? '—'));
  }
  return list;
}

export function describeRpcError(error) {
  const data = error.data && typeof error.data === 'object' ? error.data : {};
  let text = `${error.message} (code ${error.code})`;
  if (data.reason) text += ` — rule: ${data.reason}`;
  if (data.retryAfterMs) text += ` — retry in ${Math.ceil(data.retryAfterMs / 1000)} s`;
  return text;
}
