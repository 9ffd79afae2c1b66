"""The reveal page (issue 15 §2): the token is the one thing on it, whole on a phone, focused on load; key id and
secret folded away; Copy only with JavaScript, announced to screen readers."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import create_key, reveal_token, set_viewport, sign_up


def test_the_token_is_focused_and_wholly_visible_at_375_px_and_copy_is_announced(browser, base_url):
    d = browser
    sign_up(d, base_url)
    create_key(d, base_url, "Phone check", environment="sandbox")
    token = reveal_token(d)

    assert d.execute_script("return document.activeElement.id") == "token", "focused on load"
    set_viewport(d, 375, 800)
    box = d.find_element(By.ID, "token")
    fit = d.execute_script("""
        const el = arguments[0];
        return {scrollH: el.scrollHeight, clientH: el.clientHeight, scrollW: el.scrollWidth, clientW: el.clientWidth,
                right: el.getBoundingClientRect().right, font: getComputedStyle(el).fontFamily};""", box)
    assert fit["scrollH"] <= fit["clientH"] + 1 and fit["scrollW"] <= fit["clientW"], f"token cut off: {fit}"
    assert fit["right"] <= 375 and "mono" in fit["font"].lower(), fit
    key_id, secret = (d.find_element(By.ID, i) for i in ("key-id", "secret-value"))
    assert not key_id.is_displayed() and not secret.is_displayed(), "folded into <details>"
    assert token.startswith(key_id.get_attribute("value") + "_")
    curl = d.find_element(By.CSS_SELECTOR, "pre.code-block").text
    assert "$KEYSMITH_TOKEN" in curl and secret.get_attribute("value") not in curl

    copy = d.find_element(By.CSS_SELECTOR, "button[data-copy='token']")
    assert copy.is_displayed(), "JavaScript shows the Copy button"
    copy.click()
    status = d.find_element(By.ID, "copy-status")
    assert status.get_attribute("role") == "status"
    WebDriverWait(d, 5).until(lambda _: status.get_attribute("textContent"))
    assert status.get_attribute("textContent") in {"Copied to the clipboard", "Selected; press Ctrl+C to copy"}


def test_without_javascript_there_is_no_copy_button_that_would_do_nothing(browser_nojs, base_url):
    d = browser_nojs
    sign_up(d, base_url)
    create_key(d, base_url, "No-JS reveal")
    reveal_token(d)

    assert d.find_elements(By.CSS_SELECTOR, "button[data-copy]"), "rendered, hidden"
    assert not any(b.is_displayed() for b in d.find_elements(By.CSS_SELECTOR, "button[data-copy]"))
    assert d.execute_script("return document.activeElement.id") == "token", "autofocus needs no script"
