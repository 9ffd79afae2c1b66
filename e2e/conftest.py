"""Real-browser end-to-end tests for Keysmith: a server on a temporary database and a free port, driven by headless
Chromium through Selenium. Run with `make e2e` (or e2e/run-browser-tests.sh)."""
import itertools
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
PASSWORD = "correct horse battery staple 42"
_counter = itertools.count(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url():
    # Most tests sign up several people; invitation-only sign-up (the default) has a server of its own below.
    yield from run_server("open")


@pytest.fixture(scope="session")
def invite_only_url():
    """A second server in the default sign-up mode: the first person signs up freely, later people need an
    invitation (DESIGN §11)."""
    yield from run_server("invite")


def run_server(signup):
    binary = os.environ.get("KEYSMITH_BIN", ".build/debug/keysmith")
    binary = str((ROOT / binary).resolve()) if not os.path.isabs(binary) else binary
    if not os.path.exists(binary):
        pytest.exit(f"Keysmith binary not found at {binary}; build it with `swift build --product keysmith`", 2)
    work = tempfile.mkdtemp(prefix="keysmith-browser.")
    db = os.path.join(work, "keysmith.sqlite")
    subprocess.run([binary, "migrate", "--db", db], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    env = dict(os.environ, KEYSMITH_ARGON2_MEMORY_KIB="1024", KEYSMITH_ARGON2_ITERATIONS="1")
    log = open(os.path.join(work, "server.log"), "wb")
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), "--signup", signup], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            pass
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).close()
        except OSError:
            log.flush()
            pytest.exit("server did not start:\n" + open(os.path.join(work, "server.log")).read(), 2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def make_driver(javascript=True, scheme=None, width=1280, height=800):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    if scheme is not None:
        options.add_argument(f"--blink-settings=preferredColorScheme={0 if scheme == 'dark' else 1}")
    prefs = {"credentials_enable_service": False, "profile.password_manager_enabled": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    service = Service(os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def browser_nojs():
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture
def browser_factory():
    drivers = []

    def factory(**kwargs):
        driver = make_driver(**kwargs)
        drivers.append(driver)
        return driver

    yield factory
    for driver in drivers:
        driver.quit()


# ---------------------------------------------------------------- page helpers


def unique_email(tag="user"):
    return f"{tag}-{os.getpid()}-{next(_counter)}-{int(time.time() * 1000) % 100000}@example.com"


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


def h1(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def wait_path(driver, predicate, timeout=10):
    WebDriverWait(driver, timeout).until(lambda d: predicate(path_of(d)))
    return path_of(driver)


def submit_button(driver, label, scope=None):
    root = scope or driver
    for button in root.find_elements(By.CSS_SELECTOR, "button[type=submit], button:not([type])"):
        if button.text.strip() == label:
            return button
    raise AssertionError(f"no button {label!r} on {driver.current_url}")


def click_and_wait(driver, element, timeout=10):
    """Clicks something that navigates and waits until the old document is gone."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    WebDriverWait(driver, timeout).until(lambda d: _stale(old))
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _stale(element):
    try:
        element.is_enabled()
        return False
    except Exception:
        return True


def press(driver, label, scope=None):
    click_and_wait(driver, submit_button(driver, label, scope))


def unfold(driver, element):
    """Opens every <details> around `element` (the key form folds its optional settings), as a user would."""
    driver.execute_script(
        "for (let d = arguments[0].closest('details'); d; d = d.parentElement.closest('details')) d.open = true;",
        element)
    return element


def fill(driver, name_or_id, value):
    el = unfold(driver, driver.find_element(By.ID, name_or_id))
    el.clear()
    el.send_keys(value)
    return el


def sign_up(driver, base_url, email=None, password=PASSWORD):
    email = email or unique_email()
    driver.get(base_url + "/signup")
    fill(driver, "email", email)
    fill(driver, "password", password)
    press(driver, "Create account")
    assert path_of(driver) == "/keys", f"sign-up did not land on /keys: {driver.current_url}\n{driver.page_source[:2000]}"
    return email


def log_in(driver, base_url, email, password=PASSWORD):
    driver.get(base_url + "/login")
    fill(driver, "email", email)
    fill(driver, "password", password)
    press(driver, "Log in")


def open_account_menu(driver):
    """Opens the header's account menu (a <details>, so no JavaScript is needed) and returns it."""
    menu = driver.find_element(By.CSS_SELECTOR, "nav.site-nav details.account-menu")
    if menu.get_attribute("open") is None:
        menu.find_element(By.TAG_NAME, "summary").click()
    return menu


def log_out(driver):
    press(driver, "Sign out", open_account_menu(driver))


def set_value(driver, element_id, value):
    driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
        element_id, value)


def check(driver, name, value, on=True):
    box = unfold(driver, driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']"))
    if box.is_selected() != on:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    assert box.is_selected() == on
    return box


def select(driver, element_id, value):
    from selenium.webdriver.support.ui import Select
    Select(unfold(driver, driver.find_element(By.ID, element_id))).select_by_value(value)


def create_key(driver, base_url, name, **fields):
    """Fills /keys/new minimally (name + environment) plus whatever `fields` says and submits it."""
    driver.get(base_url + "/keys/new")
    fill(driver, "name", name)
    check(driver, "environment", fields.pop("environment", "sandbox"))
    scopes = fields.pop("scopes", [])
    if scopes:
        fill(driver, "extra_scopes", " ".join(scopes))
    if not fields.pop("activate", True):
        check(driver, "status", "pending")
    for key, value in fields.items():
        fill(driver, key, value)
    press(driver, "Create key")


def reveal_token(driver):
    assert "/reveal/" in path_of(driver), f"expected a reveal page, got {driver.current_url}"
    return driver.find_element(By.ID, "token").get_attribute("value")


def key_id_from_url(driver):
    parts = path_of(driver).split("/")
    assert parts[1] == "keys", driver.current_url
    return parts[2]


def flash(driver):
    els = driver.find_elements(By.CSS_SELECTOR, ".flash")
    return " ".join(e.text for e in els)


def whoami(base_url, token):
    request = urllib.request.Request(base_url + "/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def exercise_key(base_url, token, rate_limited, refused):
    """Uses the key over one kept-alive connection: whoami until `rate_limited` calls have been refused for its rate
    limit, then `refused` forward-auth calls asking for a scope the key lacks."""
    import http.client
    import json
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    statuses = []
    project = None
    while statuses.count(429) < rate_limited:
        status, body = get("/api/v1/whoami")
        statuses.append(status)
        if status == 200 and project is None:
            project = json.loads(body)["projectId"]
        assert status in (200, 429) and len(statuses) < 5000, statuses[-20:]
    for _ in range(refused):
        status, _ = get(f"/api/v1/auth?project={project}&scope=billing:write")
        assert status == 403, status
    connection.close()


def field_error(driver, field_id):
    """The field-error message rendered inside the same .field wrapper as the input `field_id`."""
    wrapper = driver.find_element(By.ID, field_id).find_element(By.XPATH, "ancestor::*[contains(@class,'field')][1]")
    errors = wrapper.find_elements(By.CSS_SELECTOR, ".field-error")
    return " ".join(e.text for e in errors)




# ---------------------------------------------------------------- every page, for screenshots and accessibility


def set_color_scheme(driver, scheme):
    # Buttons and nav links animate their colours; switching the scheme mid-page must not catch them half-way.
    driver.execute_script("""
        if (!document.getElementById('e2e-no-transitions')) {
          const style = document.createElement('style');
          style.id = 'e2e-no-transitions';
          style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
          document.head.appendChild(style);
        }""")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    assert driver.execute_script(f"return matchMedia('(prefers-color-scheme: {scheme})').matches"), scheme
    # The new colours apply on the next rendering frame; until then computed styles can be stale.
    WebDriverWait(driver, 5).until(lambda d: d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => {
          document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
          if (document.getAnimations().some(a => a.playState === 'running')) return done(false);
          const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
          done(((r + g + b) / 3 < 128) === arguments[0]);
        }));""", scheme == "dark"))


def set_viewport(driver, width, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    # Two frames, so what was resized is painted too: a screenshot right away can show an empty scrollable <pre>.
    driver.execute_async_script(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")


EVERY_PAGE = (
    "signup", "login", "keys-empty", "key-new", "reveal", "reveal-gone", "key-detail", "key-rotate-now",
    "key-detail-rotating", "key-edit", "key-new-errors", "key-disable", "key-detail-disabled",
    "keys-list", "key-delete", "account", "audit", "audit-filtered", "account-menu",
    "workspace", "workspace-new", "members-invited", "admin-keys-empty", "admin-key-created", "projects",
    "project-settings", "project-delete",
    "docs-api", "not-found", "invite", "signup-invite",
)


# A 100-character name, the longest the form allows: the key list must cut it, not widen (issue 15 §1).
LONG_KEY_NAME = "Customer data export for the analytics warehouse — nightly batch, EU region, owned by data platform."
assert len(LONG_KEY_NAME) == 100
LONG_DESCRIPTION = ("Used by the Android and iOS apps to call the public API on behalf of signed-in customers. Rotate it "
                    "together with the app release; the old secret must keep working for a week so that phones which "
                    "have not updated yet still get through.")


def api_call(driver, method, path, body=None):
    """A management API call from the signed-in page, with its session cookie and CSRF token; returns (status, json)."""
    return driver.execute_async_script("""
        const [method, path, body, done] = arguments;
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        fetch(path, {method, headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                     body: body === null ? undefined : JSON.stringify(body)})
          .then(async r => done([r.status, await r.json().catch(() => null)]), e => done([0, String(e)]));""",
                                        method, path, body)


def add_realistic_keys(driver, base_url):
    """What a real project's list holds besides the walk's own keys: a 100-character name, a long description, live
    and sandbox, many scopes, used and unused keys. Returns {name: token} of those created."""
    if "/keys" not in driver.current_url:
        driver.get(base_url + "/keys")
    keys = [
        {"name": LONG_KEY_NAME, "environment": "live", "scopes": ["exports:read", "customers:read"]},
        {"name": "Mobile app backend", "description": LONG_DESCRIPTION, "environment": "live",
         "scopes": ["orders:read", "orders:write", "customers:read", "payments:write"]},
        {"name": "Webhook signer", "description": "Signs outgoing webhooks.", "environment": "sandbox",
         "scopes": ["webhooks:write"]},
        {"name": "CI deploy (GitHub Actions)", "description": "Deploys from main.", "environment": "live",
         "scopes": ["deployments:write"], "ttl": "90d"},
        {"name": "Partner: Acme Corp", "description": "Read-only catalogue access for Acme's storefront.",
         "environment": "live", "scopes": ["catalog:read"]},
    ]
    tokens = {}
    for body in keys:
        status, answer = api_call(driver, "POST", "/api/v1/keys", body)
        assert status == 201, (status, answer)
        tokens[body["name"]] = answer["token"]
    for name in ("Mobile app backend", "Partner: Acme Corp"):
        whoami(base_url, tokens[name])
    return tokens


def visit_every_page(driver, base_url, on_page):
    """Walks through every console page once (EVERY_PAGE, in that order), calling on_page(name) while each is loaded
    (the reveal page, the invitation link and a new admin key can only be seen once, so everything per page must
    happen in that call)."""
    d = driver
    d.get(base_url + "/signup")
    on_page("signup")
    d.get(base_url + "/login")
    on_page("login")
    sign_up(d, base_url)
    on_page("keys-empty")
    d.get(base_url + "/keys/new")
    on_page("key-new")
    fill(d, "name", "Billing service (prod)")
    fill(d, "description", "Charges customers every night; owned by the payments team.")
    check(d, "environment", "live")
    select(d, "owner_type", "service")
    fill(d, "extra_scopes", "orders:read orders:write invoices:* customers:read")
    fill(d, "ip_allowlist", "127.0.0.1\n10.0.0.0/8\n192.168.178.1 255.255.255.0\n2001:db8::/32")
    select(d, "expiry", "90d")
    fill(d, "rate_limit", "600")
    fill(d, "quota", "100000")
    fill(d, "header_name_0", "X-Customer-Id")
    fill(d, "header_value_0", "${key.id}")
    fill(d, "meta", '{"team": "payments", "ticket": "PAY-1234"}')
    press(d, "Create key")
    token = reveal_token(d)
    on_page("reveal")
    d.refresh()
    on_page("reveal-gone")
    for _ in range(3):
        whoami(base_url, token)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Go to the key"))
    key_url = d.current_url
    # A used key: valid requests up to its rate limit (600 a minute), a few past it, and a few refused for a scope
    # it lacks at the forward-auth gate, so the chart stacks all three outcomes and "Where it was used" has rows.
    exercise_key(base_url, token, rate_limited=4, refused=3)
    d.get(key_url)
    on_page("key-detail")
    d.get(key_url + "/rotate-now")
    on_page("key-rotate-now")
    d.get(key_url)
    check(d, "grace", "24h")
    press(d, "Rotate secret")
    d.get(key_url)
    on_page("key-detail-rotating")
    d.get(key_url + "/edit")
    on_page("key-edit")
    d.get(base_url + "/keys/new")
    fill(d, "name", "Billing service (prod)")
    check(d, "environment", "sandbox")
    fill(d, "extra_scopes", "Orders:Read billing")
    fill(d, "ip_allowlist", "10.0.0.0/99")
    select(d, "expiry", "date")
    set_value(d, "expires_on", "2020-01-01")
    fill(d, "quota", "-5")
    press(d, "Create key")
    on_page("key-new-errors")
    create_key(d, base_url, "Reporting (read only)", activate=False, scopes=["reports:read"])
    create_key(d, base_url, "Old staging key", environment="live")
    click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, "go to the key"))
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Disable…"))
    on_page("key-disable")
    press(d, "Disable key")
    on_page("key-detail-disabled")
    add_realistic_keys(d, base_url)
    d.get(base_url + "/keys")
    on_page("keys-list")
    d.get(key_url + "/delete")
    on_page("key-delete")
    d.get(base_url + "/account")
    on_page("account")
    # An edit, so the log shows what changed ("rate limit: 600/min → 1,200/min").
    d.get(key_url + "/edit")
    set_value(d, "rate_limit", "1200")
    set_value(d, "description", "Charges customers every night; owned by the payments team (billing-oncall).")
    press(d, "Save changes")
    d.get(base_url + "/audit")
    on_page("audit")
    d.get(base_url + "/audit?event=key.updated&key=" + key_url.rsplit("/", 1)[1])
    on_page("audit-filtered")
    open_account_menu(d)
    on_page("account-menu")
    # Workspaces, members, admin keys and projects (DESIGN §11).
    d.get(base_url + "/workspace")
    on_page("workspace")
    d.get(base_url + "/workspaces/new")
    on_page("workspace-new")
    d.get(base_url + "/members")
    fill(d, "invite-email", unique_email("invited"))
    select(d, "invite-role", "viewer")
    press(d, "Create invitation link")
    invite_link = d.find_element(By.ID, "invite-link").get_attribute("value")
    on_page("members-invited")
    d.get(base_url + "/admin-keys")
    on_page("admin-keys-empty")
    fill(d, "name", "Deploy pipeline")
    check(d, "permissions", "keys:read")
    check(d, "permissions", "keys:write")
    press(d, "Create admin key")
    on_page("admin-key-created")
    d.get(base_url + "/projects")
    on_page("projects")
    fill(d, "name", "Mobile app")
    fill(d, "key_prefix", "mob")
    fill(d, "description", "Keys for the iOS and Android clients.")
    press(d, "Create project")
    project_url = d.current_url
    on_page("project-settings")
    d.get(project_url + "/delete")
    on_page("project-delete")
    d.get(base_url + "/docs/api")
    on_page("docs-api")
    d.get(base_url + "/no-such-page")
    on_page("not-found")
    # What the invited person sees, signed out (an unknown path's 404 page has no account menu: log out elsewhere).
    d.get(base_url + "/keys")
    log_out(d)
    d.get(invite_link)
    on_page("invite")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Create an account"))
    on_page("signup-invite")
