// splitvault console: the one client script. Pages work without it for reading; it adds
// copy buttons, token sign-in (the token lives in this tab's sessionStorage and travels only
// in an Authorization header, never in a URL), and, once a token is held, navigation by
// fetch so that every page request carries the header.
const KEY = 'splitvault.token';
const token = () => sessionStorage.getItem(KEY);

function headers(extra) {
  const held = token();
  return held ? { ...extra, authorization: `Bearer ${held}` } : extra;
}

// Replaces the page's main, title and header with those of an HTML answer.
function show(html, url, push) {
  const next = new DOMParser().parseFromString(html, 'text/html');
  document.title = next.title;
  document.body.replaceWith(document.adoptNode(next.body));
  if (push) history.pushState({}, '', url);
  wire();
  const main = document.getElementById('main');
  if (main && push) main.focus();
}

async function load(url, init, push) {
  const response = await fetch(url, { ...init, headers: headers(init.headers || {}) });
  show(await response.text(), response.url || url, push);
  if (response.status === 401 && token()) sessionStorage.removeItem(KEY);
}

function onCopy(event) {
  const button = event.target.closest('button.copy');
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.copy).then(
    () => {
      button.textContent = 'Copied';
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 1500);
    },
    () => {
      button.textContent = 'Select and copy';
    },
  );
}

function onClick(event) {
  onCopy(event);
  if (!token() || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.origin !== location.origin) return;
  if (link.dataset.download) {
    // The signed-URL path with the token: ask for the URL as JSON, then go there.
    event.preventDefault();
    fetch(link.href, { headers: headers({ accept: 'application/json' }) })
      .then((r) => r.json())
      .then((answer) => {
        if (answer.url) location.assign(answer.url);
      });
    return;
  }
  if (!link.pathname.startsWith('/ui')) return;
  event.preventDefault();
  load(link.href, {}, true);
}

function onSubmit(event) {
  const form = event.target;
  if (form.id === 'sign-in') {
    event.preventDefault();
    sessionStorage.setItem(KEY, form.querySelector('#token').value);
    load(location.href, {}, false);
    return;
  }
  if (!token()) return;
  event.preventDefault();
  const data = new URLSearchParams(new FormData(form));
  if (form.method.toLowerCase() === 'get') {
    const url = new URL(form.action);
    url.search = data.toString();
    load(url.href, {}, true);
  } else {
    load(form.action, { method: 'POST', body: data }, true);
  }
}

function wire() {
  const signOut = document.querySelector('.sign-out');
  if (signOut && token()) {
    signOut.hidden = false;
    signOut.addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      location.assign('/ui');
    });
  }
}

document.addEventListener('click', onClick);
document.addEventListener('submit', onSubmit);
window.addEventListener('popstate', () => {
  if (token()) load(location.href, {}, false);
});
wire();
// The server could not see the token on this navigation (a reload): ask again with it.
if (document.body.dataset.needsToken && token()) load(location.href, {}, false);
