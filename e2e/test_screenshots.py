"""Screenshots of every page at 375 and 1280 px wide, light and dark, in e2e/artifacts/ (git-ignored); no page may
scroll sideways at 375 px."""
from conftest import ARTIFACTS, EVERY_PAGE, set_color_scheme, set_viewport, visit_every_page

WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")
MAX_HEIGHT = 6000


def test_screenshots_of_every_page(browser, base_url):
    d = browser
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    overflow, shots, backgrounds, pages = [], [], {}, []

    def shoot(name):
        pages.append(name)
        for scheme in SCHEMES:
            set_color_scheme(d, scheme)
            backgrounds.setdefault(scheme, d.execute_script("return getComputedStyle(document.body).backgroundColor"))
            for width in WIDTHS:
                set_viewport(d, width, 800)
                inner, scroll = d.execute_script(
                    "return [window.innerWidth, document.documentElement.scrollWidth]")
                assert inner == width, f"viewport is {inner}, wanted {width}"
                if scroll > inner:
                    wide = d.execute_script("""
                        return [...document.querySelectorAll('body *')]
                          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                                       && !e.closest('.table-wrap'))
                          .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                       + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                                       + ' (right ' + Math.round(e.getBoundingClientRect().right) + ')');""")
                    overflow.append(f"{name} {scheme}: scrollWidth {scroll} > {inner}: {wide}")
                height = min(MAX_HEIGHT, max(800, d.execute_script(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")))
                set_viewport(d, width, height)
                path = ARTIFACTS / f"{name}-{width}-{scheme}.png"
                assert d.get_screenshot_as_file(str(path)), path
                shots.append(path.name)
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    visit_every_page(d, base_url, shoot)
    assert tuple(pages) == EVERY_PAGE, pages
    assert len(shots) == len(EVERY_PAGE) * 4, shots
    assert backgrounds["light"] != backgrounds["dark"], f"dark scheme changes nothing: {backgrounds}"
    assert not overflow, "horizontal overflow at 375 px:\n" + "\n".join(overflow)
