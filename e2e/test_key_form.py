"""The key form without JavaScript: fields that depend on a choice appear with CSS :has() only, optional settings are
folded, and after a failed submit the error summary has focus and links to the fields, in form order."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

from conftest import check, fill, path_of, press, select, set_value, sign_up


def shown(d, element_id):
    return d.find_element(By.ID, element_id).is_displayed()


def test_dependent_fields_follow_the_choices_without_javascript(browser_nojs, base_url):
    d = browser_nojs
    sign_up(d, base_url)
    d.get(base_url + "/keys/new")

    # Folded by default: nothing optional is in the way, but every fold says what it holds.
    folds = d.find_elements(By.CSS_SELECTOR, "details.fold")
    summaries = {" ".join(f.find_element(By.TAG_NAME, "summary").text.split()) for f in folds}
    assert "IP allowlist Any address" in summaries and "Limits None" in summaries, summaries
    assert not shown(d, "ip_allowlist")

    assert not shown(d, "expires_on"), "the date shows only with “On a date…”"
    select(d, "expiry", "date")
    assert shown(d, "expires_on")
    select(d, "expiry", "30d")
    assert not shown(d, "expires_on")

    fill(d, "rate_limit", "")
    assert not shown(d, "rate_limit_window"), "a window means nothing without a limit"
    fill(d, "rate_limit", "600")
    assert shown(d, "rate_limit_window")

    assert not shown(d, "quota_refill")
    fill(d, "quota", "1000")
    assert shown(d, "quota_refill")

    check(d, "token_type", "generated")
    assert not shown(d, "secret")
    check(d, "token_type", "custom")
    assert shown(d, "secret")


def test_a_failed_submit_focuses_the_summary_which_links_to_the_fields_in_order(browser_nojs, base_url):
    d = browser_nojs
    sign_up(d, base_url)
    d.get(base_url + "/keys/new")
    fill(d, "name", "")
    fill(d, "extra_scopes", "Orders:Read Billing Refunds:All")
    fill(d, "meta", "{not json")
    select(d, "expiry", "never")
    # A date left behind after switching back to "Never" must not silently give a key that never expires.
    select(d, "expiry", "date")
    set_value(d, "expires_on", "2031-01-31")
    select(d, "expiry", "never")
    press(d, "Create key")

    assert path_of(d) == "/keys"
    summary = d.find_element(By.ID, "error-summary")
    assert d.switch_to.active_element == summary, "focus is on the error summary after load"
    links = summary.find_elements(By.TAG_NAME, "a")
    assert [a.get_attribute("href").split("#")[1] for a in links] == ["name", "extra_scopes", "expires_on", "meta"]
    assert summary.text.count("use resource:action") == 1, "the scope rule is said once"
    assert shown(d, "expires_on"), "the refused date is visible next to its message"
    assert "only used with “On a date…”" in d.find_element(By.ID, "expiresAt-error").text
    ActionChains(d).send_keys(Keys.TAB).perform()
    assert d.switch_to.active_element == links[0], "the summary's first link is next in tab order"
    links[1].click()
    assert d.switch_to.active_element == d.find_element(By.ID, "extra_scopes")
