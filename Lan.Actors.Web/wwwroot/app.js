// The page of one lan-node. Everything a peer chose (names, META, reasons, chat) is put into the page with textContent,
// never as HTML; the token from the address goes with every request.
'use strict';

// The token comes once in the address; it is kept for this tab and taken out of the address bar (and of history).
const token = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('lan-node-token') || '';
if (token) sessionStorage.setItem('lan-node-token', token);
history.replaceState(null, '', location.pathname);

function text(id, value) { document.getElementById(id).textContent = value; }

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value;
  if (className) td.className = className;
  return td;
}

function since(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function duration(seconds) {
  const s = Math.floor(seconds);
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function bytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

// Rows are replaced in place, keyed by data-key, so the table does not flicker and a test can find a row by its key.
function rows(tableId, items, key, fill) {
  const body = document.querySelector(`#${tableId} tbody`);
  const keep = new Set(items.map(key));
  for (const row of [...body.rows]) if (!keep.has(row.dataset.key)) row.remove();
  items.forEach((item, index) => {
    let row = [...body.rows].find(r => r.dataset.key === key(item));
    if (!row) { row = body.insertRow(); row.dataset.key = key(item); }
    row.replaceChildren();
    fill(row, item);
    if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] || null);
  });
}

// Items whose key is already shown are kept as they are: a button a person is about to click is not replaced under
// the pointer by the next update.
function list(id, items, fill, key = item => JSON.stringify(item)) {
  const ul = document.getElementById(id);
  const shown = new Map([...ul.children].map(li => [li.dataset.key, li]));
  ul.replaceChildren(...items.map(item => {
    const k = key(item);
    let li = shown.get(k);
    if (!li) { li = document.createElement('li'); li.dataset.key = k; fill(li, item); }
    return li;
  }));
}

function chart(id, points, inKey, outKey) {
  const canvas = document.getElementById(id);
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(1, ...points.map(p => Math.max(p[inKey], p[outKey])));
  const step = canvas.width / 300;
  [[inKey, '#2b6cb0'], [outKey, '#c05621']].forEach(([k, color]) => {
    g.strokeStyle = color;
    g.beginPath();
    points.forEach((p, i) => {
      const x = canvas.width - (points.length - i) * step;
      const y = canvas.height - 4 - (p[k] / max) * (canvas.height - 8);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  });
  g.fillStyle = '#1d2430';
  g.fillText(`max ${max}/s`, 4, 12);
}

function render(s) {
  text('node-name', s.node.name);
  text('node-id', s.node.id);
  text('node-mode', s.node.mode);
  text('node-uptime', duration(s.node.uptimeSeconds));
  text('node-addresses', s.node.addresses.join(', '));
  rows('servers', s.servers, v => v.id, (row, v) => {
    cell(row, v.name, 'name');
    cell(row, v.id.length > 7 ? v.id.slice(0, 7) : v.id, 'id').title = v.id;
    cell(row, v.address);
    cell(row, v.app);
    cell(row, since(v.foundAt));
    cell(row, v.source);
    cell(row, Object.entries(v.meta).map(([k, val]) => `${k}=${val}`).join(' '));
  });
  rows('connections', s.connections, v => v.id + ' ' + v.address, (row, v) => {
    cell(row, v.peer, 'name');
    cell(row, v.address);
    cell(row, since(v.since));
    cell(row, `${v.packetsIn} / ${v.packetsOut}`, 'num');
    cell(row, `${bytes(v.bytesIn)} / ${bytes(v.bytesOut)}`, 'num');
    cell(row, `${v.queuedPackets} (${bytes(v.queuedBytes)})`, 'num');
  });
  list('disconnects', s.disconnects, (li, v) => { li.textContent = `${v.peer} at ${v.address}: ${v.reason} (${v.detail}), at ${new Date(v.at).toLocaleTimeString()}`; });
  renderFiles(s.files);
  chart('packets-chart', s.rates, 'packetsIn', 'packetsOut');
  chart('bytes-chart', s.rates, 'bytesIn', 'bytesOut');
  const chat = document.getElementById('chat');
  chat.hidden = !s.chat;
  if (s.chat) {
    text('chat-room', s.chat.room + (s.chat.connected ? '' : ' (not connected)'));
    list('members', s.chat.members, (li, name) => { li.textContent = name; });
    const lines = document.getElementById('chat-lines');
    const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
    list('chat-lines', s.chat.lines, (li, line) => {
      const from = document.createElement('span');
      from.className = 'from';
      from.textContent = line.from;
      li.append(from, document.createTextNode(line.text));
    });
    if (atBottom) lines.scrollTop = lines.scrollHeight;
  }
}

function renderFiles(files) {
  const section = document.getElementById('files');
  section.hidden = !files;
  if (!files) return;
  list('offers', files.offers, (li, offer) => {
    li.textContent = `${offer.name} (${bytes(offer.size)}) from ${offer.from}`;
    for (const [label, accept] of [['accept', true], ['refuse', false]]) {
      const button = document.createElement('button');
      button.textContent = label;
      button.className = label;
      button.addEventListener('click', () => post(`api/offers/${offer.ticket}`, JSON.stringify({ accept }), 'application/json'));
      li.append(button);
    }
  }, offer => String(offer.ticket));
  rows('transfers', files.transfers, v => v.key, (row, v) => {
    cell(row, v.name, 'name');
    cell(row, v.direction === 'send' ? 'sending' : 'receiving');
    const progress = document.createElement('progress');
    progress.max = Math.max(1, v.size);
    progress.value = v.bytes;
    const td = row.insertCell();
    td.append(progress, document.createTextNode(` ${v.size > 0 ? Math.floor(100 * v.bytes / v.size) : 100} %`));
    cell(row, v.detail ? `${v.state}: ${v.detail}` : v.state, 'state');
  });
}

function post(path, body, type) {
  const headers = { 'Content-Type': type, 'X-Lan-Token': token || 'cookie' };
  return fetch(path, { method: 'POST', headers, body })
    .then(answer => { if (!answer.ok) answer.text().then(why => text('status', `refused: ${why || answer.status}`)); return answer; });
}

// Files dropped onto a node's row go to that node, one request per file.
const serverRows = document.querySelector('#servers tbody');
serverRows.addEventListener('dragover', event => {
  const row = event.target.closest('tr');
  if (!row || document.getElementById('files').hidden) return;
  event.preventDefault();
  for (const r of serverRows.rows) r.classList.toggle('drop', r === row);
});
serverRows.addEventListener('dragleave', () => { for (const r of serverRows.rows) r.classList.remove('drop'); });
serverRows.addEventListener('drop', event => {
  const row = event.target.closest('tr');
  if (!row || document.getElementById('files').hidden) return;
  event.preventDefault();
  for (const r of serverRows.rows) r.classList.remove('drop');
  for (const file of event.dataTransfer.files) {
    post(`api/send?to=${encodeURIComponent(row.dataset.key)}&name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream');
  }
});

const events = new EventSource(`events?token=${encodeURIComponent(token)}`);
events.onmessage = message => { text('status', `live, updated ${new Date().toLocaleTimeString()}`); render(JSON.parse(message.data)); };
events.onerror = () => text('status', 'not connected to the node; retrying…');

document.getElementById('chat-form').addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('chat-input');
  const line = input.value.trim();
  if (!line) return;
  const answer = await post('api/chat', JSON.stringify({ text: line }), 'application/json');
  if (answer.ok) input.value = '';
});
