"""A team in two browsers (DESIGN §11): the owner invites a viewer by one-time link, the viewer signs up through it,
lands in the owner's workspace and can look but not change; promoted to developer, they create a key. Runs on the
invitation-only server (the default sign-up mode), whose first sign-up is this test's owner."""
import json

import pytest
from selenium.webdriver.common.by import By

from conftest import (ARTIFACTS, PASSWORD, click_and_wait, create_key, fill, flash, h1, path_of, press, reveal_token,
                      select, set_viewport, sign_up, unique_email, whoami)

WORKSPACE = "Acme Platform"


def switcher(d):
    """(workspace, project, role) as the header's switcher shows them."""
    workspace = d.find_element(By.CSS_SELECTOR, "#switch-workspace option:checked").text
    project = d.find_element(By.CSS_SELECTOR, "#switch-project option:checked").text
    role = d.find_element(By.CSS_SELECTOR, ".switcher .badge").text
    return workspace, project, role


def nav_links(d):
    # textContent: the account menu's links are in a closed <details>, where .text is empty.
    return [a.get_attribute("textContent").strip() for a in d.find_elements(By.CSS_SELECTOR, "nav.site-nav a")]


def links(d, text):
    return d.find_elements(By.XPATH, f"//main//a[normalize-space()={json.dumps(text)}]")


def buttons(d, text):
    return d.find_elements(By.XPATH, f"//main//button[normalize-space()={json.dumps(text)}]")


def post_form(d, path, fields):
    """Submits a form the page does not offer, as a crafted request with this session's CSRF token (so a refusal is
    the role's, not the CSRF check's): [status, body text]."""
    return d.execute_async_script("""
        const [path, fields, done] = arguments;
        const body = new URLSearchParams(fields);
        body.set('csrf_token', document.querySelector('meta[name=csrf-token]').content);
        fetch(path, {method: 'POST', body, redirect: 'manual', credentials: 'same-origin'})
          .then(async r => done([r.status, await r.text()]), e => done([0, String(e)]));""", path, fields)


def member_row(d, email):
    return d.find_element(By.XPATH, f"//table//tr[td[contains(normalize-space(), {json.dumps(email)})]]")


def shoot(d, name, widths=(375, 1280)):
    """Full-page screenshots at each width, like test_screenshots.py; returns what overflows sideways at 375 px."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    overflow = []
    for width in widths:
        set_viewport(d, width, 800)
        inner, scroll = d.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
        if scroll > inner:
            overflow.append(f"{name} at {width}: scrollWidth {scroll} > {inner}")
        height = min(6000, max(800, d.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")))
        set_viewport(d, width, height)
        assert d.get_screenshot_as_file(str(ARTIFACTS / f"{name}-{width}.png"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return overflow


def test_owner_invites_a_viewer_who_is_promoted_to_developer(browser_factory, invite_only_url):
    base = invite_only_url
    owner, guest = browser_factory(), browser_factory()  # two profiles: nothing shared, no cookies in common
    overflow = []

    # The owner: the first person of an empty invitation-only instance signs up freely.
    sign_up(owner, base, unique_email("owner"))
    owner.get(base + "/workspace")
    fill(owner, "name", WORKSPACE)
    press(owner, "Rename")
    assert "renamed" in flash(owner)
    assert switcher(owner) == (WORKSPACE, "Default", "Owner")
    assert "Admin keys" in nav_links(owner)

    # The key prefix lives on the project's settings page now.
    owner.get(base + "/projects")
    click_and_wait(owner, owner.find_element(By.LINK_TEXT, "Default"))
    project_url = owner.current_url
    project_id = path_of(owner).split("/")[2]
    assert project_id.startswith("prj_")
    assert project_id in owner.find_element(By.CSS_SELECTOR, ".code-block").text, "the gate snippet names the project"
    fill(owner, "key_prefix", "acme")
    press(owner, "Save settings")
    assert "acme_" in flash(owner)
    create_key(owner, base, "Owner billing key")
    owner_token = reveal_token(owner)
    assert owner_token.startswith("acme_"), owner_token
    click_and_wait(owner, owner.find_element(By.PARTIAL_LINK_TEXT, "go to the key"))
    owner_key_url = owner.current_url

    # The owner invites a viewer and reads the one-time link from the page.
    guest_email = unique_email("viewer")
    owner.get(base + "/members")
    fill(owner, "invite-email", guest_email)
    select(owner, "invite-role", "viewer")
    press(owner, "Create invitation link")
    link = owner.find_element(By.ID, "invite-link").get_attribute("value")
    assert link.startswith(base + "/invites/"), link
    pending = owner.find_element(By.CSS_SELECTOR, "[aria-labelledby=pending-heading]").text
    assert guest_email in pending and "Viewer" in pending
    owner.get(base + "/members")
    assert link not in owner.page_source, "the invitation link is shown once"

    # The second person, in a fresh browser: without the link, sign-up is closed.
    guest.get(base + "/signup")
    assert "by invitation" in guest.find_element(By.TAG_NAME, "main").text
    assert not guest.find_elements(By.ID, "password")
    guest.get(link)
    assert h1(guest) == f"Join {WORKSPACE}"
    assert guest_email in guest.page_source and "viewer" in guest.find_element(By.TAG_NAME, "main").text
    click_and_wait(guest, guest.find_element(By.LINK_TEXT, "Create an account"))
    assert path_of(guest) == "/signup"
    assert guest.find_element(By.ID, "email").get_attribute("value") == guest_email
    assert f"joining {WORKSPACE}" in guest.find_element(By.TAG_NAME, "main").text
    fill(guest, "password", PASSWORD)
    press(guest, "Create account")
    assert path_of(guest) == "/keys", guest.current_url

    # … and lands in the owner's workspace as a viewer.
    assert switcher(guest) == (WORKSPACE, "Default", "Viewer"), switcher(guest)
    keys_text = guest.find_element(By.TAG_NAME, "main").text
    assert "Owner billing key" in keys_text
    assert not links(guest, "Create key") and not links(guest, "Create your first key")
    assert "Admin keys" not in nav_links(guest)
    for name in ("API Keys", "Audit log", "Docs", "Projects", "Members", "Workspace settings", "Account"):
        assert name in nav_links(guest)
    guest.get(link)
    assert "404" in guest.find_element(By.TAG_NAME, "main").text, "the invitation link works once"

    # The key page: everything visible, nothing to press.
    guest.get(owner_key_url)
    assert "Owner billing key" in h1(guest)
    assert guest.find_element(By.XPATH, "//dt[.='Hint']/following-sibling::dd[1]").text
    for text in ("Edit", "Delete key…", "Disable…"):
        assert not links(guest, text), f"a viewer sees {text!r}"
    for text in ("Enable key", "Activate key", "Rotate secret", "End the old secret’s grace now"):
        assert not buttons(guest, text), f"a viewer sees {text!r}"
    assert not guest.find_elements(By.ID, "rotate-heading")

    # Asking anyway is refused with 403, and changes nothing.
    guest.get(base + "/keys/new")
    main = guest.find_element(By.TAG_NAME, "main").text
    assert "403" in main and "viewer" in main, main
    status, body = post_form(guest, "/keys", {"name": "Sneaky key", "environment": "sandbox", "activate": "on"})
    assert status == 403 and "viewer" in body, (status, body[:500])
    status, body = post_form(guest, owner_key_url.removeprefix(base) + "/disable", {})
    assert status == 403 and "viewer" in body, (status, body[:500])
    status, _ = post_form(guest, owner_key_url.removeprefix(base) + "/delete", {})
    assert status == 403
    assert whoami(base, owner_token) == 200, "the viewer's requests must not have touched the key"
    guest.get(base + "/keys")
    assert "Sneaky key" not in guest.page_source

    # A viewer's members page: the people, no forms.
    guest.get(base + "/members")
    assert not guest.find_elements(By.ID, "invite-email") and not guest.find_elements(By.CSS_SELECTOR, "main select")
    overflow += shoot(guest, "team-members-viewer")

    # The owner sees the new member, screenshots the pages, and makes them a developer.
    owner.get(base + "/members")
    assert guest_email in member_row(owner, guest_email).text
    pending = owner.find_elements(By.CSS_SELECTOR, "[aria-labelledby=pending-heading]")
    assert not pending or guest_email not in pending[0].text, "an accepted invitation is no longer pending"
    overflow += shoot(owner, "team-members")
    owner.get(project_url)
    overflow += shoot(owner, "team-project-settings")
    owner.get(base + "/members")
    row = member_row(owner, guest_email)
    role_select = row.find_element(By.CSS_SELECTOR, "select[name=role]")
    assert role_select.get_attribute("value") == "viewer"
    select(owner, role_select.get_attribute("id"), "developer")
    press(owner, "Change", row)
    assert f"{guest_email} is now developer" in flash(owner)

    # The second person reloads: now a developer, they can create a key in the owner's project.
    guest.get(base + "/keys")
    assert switcher(guest) == (WORKSPACE, "Default", "Developer")
    assert links(guest, "Create key")
    assert "Admin keys" not in nav_links(guest)
    create_key(guest, base, "Guest reporting key")
    guest_token = reveal_token(guest)
    assert guest_token.startswith("acme_"), "the project's prefix applies to every member's keys"
    assert whoami(base, guest_token) == 200
    owner.get(base + "/keys")
    assert "Guest reporting key" in owner.find_element(By.CSS_SELECTOR, ".table-wrap").text
    # Still no management: admin keys and member changes stay the owner's and admins'.
    status, _ = post_form(guest, "/admin-keys", {"name": "nope", "permissions": "keys:read"})
    assert status == 403
    guest.get(base + "/admin-keys")
    assert "403" in guest.find_element(By.TAG_NAME, "main").text

    assert not overflow, "horizontal overflow:\n" + "\n".join(overflow)
