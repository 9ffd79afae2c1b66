"""The key list with real data (issue 15 §1): cards on phones, a table that fits its box on a desktop whatever the
name, and a search that finds a key by a pasted token."""
import pytest
from selenium.webdriver.common.by import By

from conftest import LONG_KEY_NAME, add_realistic_keys, api_call, click_and_wait, set_viewport, sign_up


@pytest.fixture
def full_list(browser, base_url):
    """A signed-in browser on a list of seven keys: the realistic ones, one disabled and one pending."""
    d = browser
    sign_up(d, base_url)
    tokens = add_realistic_keys(d, base_url)
    status, disabled = api_call(d, "POST", "/api/v1/keys", {"name": "Old staging key", "environment": "sandbox"})
    assert status == 201, disabled
    assert api_call(d, "POST", f"/api/v1/keys/{disabled['id']}/disable")[0] == 200
    assert api_call(d, "POST", "/api/v1/keys", {"name": "Reporting", "activate": False})[0] == 201
    d.get(base_url + "/keys")
    return d, tokens


def rows(d):
    return d.find_elements(By.CSS_SELECTOR, "tr.key-row")


def test_at_375_px_each_key_is_a_card_with_its_status_and_nothing_scrolls_sideways(full_list):
    d, _ = full_list
    set_viewport(d, 375, 800)

    assert len(rows(d)) == 7
    assert not d.find_element(By.CSS_SELECTOR, ".key-table thead").is_displayed()
    for row in rows(d):
        assert row.value_of_css_property("display") == "grid", "a card, not a table row"
        name = row.find_element(By.CSS_SELECTOR, ".key-name a")
        badge = row.find_element(By.CSS_SELECTOR, ".key-status .badge")
        used = row.find_element(By.CSS_SELECTOR, ".key-last-used")
        assert name.is_displayed() and badge.is_displayed() and used.is_displayed(), name.text
        assert badge.text in {"Active", "Pending", "Disabled", "Expired"}
        assert used.text.startswith("Last used") or used.text == "Never used", used.text
        assert not any(cell.is_displayed() for cell in row.find_elements(
            By.CSS_SELECTOR, ".key-scopes, .key-expires, .key-created")), "a card shows name, status, key and last use"
        assert row.rect["x"] >= 0 and row.rect["x"] + row.rect["width"] <= 375
    statuses = {row.find_element(By.CSS_SELECTOR, ".key-name a").text: row.find_element(By.CSS_SELECTOR, ".badge").text
                for row in rows(d)}
    assert statuses["Old staging key"] == "Disabled" and statuses["Reporting"] == "Pending"
    wide = d.execute_script("""
        const wrap = document.querySelector('.key-table');
        return [document.documentElement.scrollWidth, wrap.scrollWidth, wrap.clientWidth];""")
    assert wide[0] <= 375 and wide[1] <= wide[2], f"sideways scroll at 375 px: {wide}"


@pytest.mark.parametrize("width", [1280, 1920])
def test_at_desktop_widths_no_cell_leaves_the_table_box_even_with_a_100_character_name(full_list, width):
    d, _ = full_list
    set_viewport(d, width, 900)

    box = d.execute_script("""
        const wrap = document.querySelector('.key-table');
        const r = wrap.getBoundingClientRect();
        const out = [...wrap.querySelectorAll('th, td')].filter(c => {
          const b = c.getBoundingClientRect();
          return b.width > 0 && (b.left < r.left - 0.5 || b.right > r.right + 0.5);
        }).map(c => c.className + ': ' + c.textContent.trim().slice(0, 30));
        return {out, scroll: wrap.scrollWidth, client: wrap.clientWidth};""")
    assert not box["out"], f"cells outside the table box at {width} px: {box['out']}"
    assert box["scroll"] <= box["client"], box
    headers = [th.text for th in d.find_elements(By.CSS_SELECTOR, ".key-table thead th") if th.is_displayed()]
    assert headers == ["NAME", "KEY", "STATUS", "SCOPES", "LAST USED", "EXPIRES", "CREATED"], headers
    long_name = d.find_element(By.CSS_SELECTOR, f".key-name a[title='{LONG_KEY_NAME}']")
    assert d.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", long_name), "cut, with …"
    assert long_name.value_of_css_property("text-overflow") == "ellipsis"
    description = d.find_element(By.XPATH, "//a[.='Mobile app backend']/following-sibling::span[@class='key-description']")
    assert description.is_displayed() and description.get_attribute("title").startswith("Used by the Android")


def test_a_pasted_token_finds_exactly_its_key_and_the_box_shows_only_the_key_id(full_list):
    d, tokens = full_list
    token = tokens["Partner: Acme Corp"]
    key_id = token[:-39]  # a generated secret is 38 characters after the key id and "_"

    search = d.find_element(By.ID, "q")
    search.clear()
    search.send_keys(token)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))

    assert [row.find_element(By.CSS_SELECTOR, ".key-name a").text for row in rows(d)] == ["Partner: Acme Corp"]
    assert d.find_element(By.ID, "q").get_attribute("value") == key_id
    assert token not in d.page_source, "the secret is not shown again"
    assert "1 key matches" in d.find_element(By.CSS_SELECTOR, "p[role=status]").text
