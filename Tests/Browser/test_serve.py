"""`digits serve` in a real headless Chromium: draw digits on the canvas with pointer moves, upload a
sample, and check what the page shows (the verdict, the ten bars, the 16x16 input it received)."""
import base64
import os
import pathlib
import re
import subprocess
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BIN, ROOT

ARTIFACTS = pathlib.Path(os.environ.get("DIGITS_ARTIFACTS", ROOT / ".build" / "browser-artifacts"))


@pytest.fixture(scope="module")
def server():
    """digits-serve on a free loopback port with the shipped model; yields its URL."""
    process = subprocess.Popen(
        [str(BIN / "digits-serve"), "--port", "0", "--model", str(ROOT / "models" / "default.safetensors")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.match(r"digits serve: listening on (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        process.kill()
        pytest.fail(f"digits-serve did not start: {line!r}")
    yield match.group(1)
    process.terminate()
    assert process.wait(timeout=20) == 0


def open_page(browser, url):
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda d: "Model:" in d.find_element(By.ID, "model-info").text
                                     and "loading" not in d.find_element(By.ID, "model-info").text)
    return browser.find_element(By.ID, "pad")


def draw(browser, pad, strokes):
    """Each stroke a list of (x, y) points in pad pixels from its centre, drawn with the mouse held down."""
    for stroke in strokes:
        chain = ActionChains(browser, duration=10).move_to_element_with_offset(pad, *stroke[0]).click_and_hold()
        previous = stroke[0]
        for point in stroke[1:]:
            # Small steps, as a hand moves: several pointermove events per segment.
            steps = max(1, int(max(abs(point[0] - previous[0]), abs(point[1] - previous[1])) // 8))
            for _ in range(steps):
                chain.move_by_offset((point[0] - previous[0]) / steps, (point[1] - previous[1]) / steps)
            previous = point
        chain.release().perform()


def wait_for_digit(browser, timeout=10):
    WebDriverWait(browser, timeout).until(
        lambda d: d.find_element(By.ID, "verdict").get_attribute("data-verdict") is not None)
    return browser.find_element(By.ID, "verdict").get_attribute("data-digit")


def preview_ink(browser):
    """Dark pixels in the 16x16 preview the page drew from the API's `input`."""
    return browser.execute_script("""
        const c = document.getElementById('input-preview');
        const d = c.getContext('2d').getImageData(0, 0, 16, 16).data;
        let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
        return dark;""")


def screenshot(browser, name):
    """Saved as a test artifact, once the bars' 120 ms transition has ended."""
    time.sleep(0.3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / name))


def test_drawing_a_one_is_read_as_1(browser, server):
    pad = open_page(browser, server)
    draw(browser, pad, [[(5, -100), (0, 100)]])
    assert wait_for_digit(browser) == "1"
    assert browser.find_element(By.ID, "input-figure").is_displayed()
    assert preview_ink(browser) > 5
    # The bar of 1 is the longest and marked as such.
    top = browser.find_elements(By.CSS_SELECTOR, "#bars li.top")
    assert len(top) == 1 and top[0].find_element(By.CLASS_NAME, "label").text == "1"
    screenshot(browser, "serve-drawn-1.png")


def test_drawing_a_seven_is_read_as_7(browser, server):
    pad = open_page(browser, server)
    draw(browser, pad, [[(-80, -95), (80, -95), (-5, 105)]])
    assert wait_for_digit(browser) == "7"
    screenshot(browser, "serve-drawn-7.png")


def test_undo_and_clear_work_from_the_keyboard(browser, server):
    pad = open_page(browser, server)
    draw(browser, pad, [[(5, -100), (0, 100)], [(-80, 0), (80, 0)]])
    wait_for_digit(browser)
    # Ctrl+Z takes the cross-bar away: a 1 again.
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "verdict").get_attribute("data-digit") == "1")
    # Tab to Clear and press Enter: nothing left to read.
    undo = browser.find_element(By.ID, "undo")
    undo.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "clear"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.ID, "verdict").get_attribute("data-verdict") is None)
    assert not browser.find_element(By.ID, "input-figure").is_displayed()


def test_uploading_a_sample_reads_it(browser, server):
    open_page(browser, server)
    sample = ROOT / "Resources" / "samples" / "3-drawn-in-paint.png"
    browser.find_element(By.ID, "file").send_keys(str(sample))
    assert wait_for_digit(browser) == "3"
    assert preview_ink(browser) > 5
    screenshot(browser, "serve-upload-3.png")


def test_dropping_a_picture_on_the_pad_reads_it(browser, server):
    """Drag and drop: a real File in a DataTransfer, dispatched on the pad as dragover and drop events
    (WebDriver cannot drag a file from the desktop). The page must read it like an upload."""
    open_page(browser, server)
    sample = ROOT / "Resources" / "samples" / "5-chalkboard.png"
    browser.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const file = new File([bytes], '5-chalkboard.png', {type: 'image/png'});
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const pad = document.getElementById('pad');
        for (const type of ['dragenter', 'dragover', 'drop'])
            pad.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        """, base64.b64encode(sample.read_bytes()).decode())
    assert wait_for_digit(browser) == "5"
    assert preview_ink(browser) > 5
    assert "dragging" not in browser.find_element(By.ID, "pad").get_attribute("class")


def test_a_file_that_is_no_picture_shows_the_servers_error(browser, server, tmp_path):
    open_page(browser, server)
    text = tmp_path / "notes.png"
    text.write_text("not a picture at all")
    browser.find_element(By.ID, "file").send_keys(str(text))
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "error").text != "")
    assert "picture" in browser.find_element(By.ID, "error").text or "PNG" in browser.find_element(By.ID, "error").text


def test_the_page_fits_a_phone(browser, server):
    browser.set_window_size(390, 844)
    try:
        pad = open_page(browser, server)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px screen"
        draw(browser, pad, [[(3, -90), (0, 90)]])
        assert wait_for_digit(browser) == "1"
        screenshot(browser, "serve-phone.png")
    finally:
        browser.set_window_size(1024, 900)
