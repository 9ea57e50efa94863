"""digits evaluate --report's index.html in a real headless Chromium: clicking a confusion cell shows
exactly that cell's images, by mouse and by keyboard, with no console errors; screenshots are saved."""
import gzip
import os
import pathlib
import random
import struct
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import BIN

SIDE = 16


def shape(label, u, v, box):
    """Ink of the ten fixture classes (as Tests/DigitsCommandsTests/SyntheticDigits.swift draws them)."""
    last, middle = box - 1, box // 2
    edge = u < 2 or u > last - 2 or v < 2 or v > last - 2
    vertical, horizontal = abs(u - middle) <= 1, abs(v - middle) <= 1
    diagonal, anti = abs(u - v) <= 1, abs(u + v - last) <= 1
    return [edge, vertical, horizontal, diagonal, anti, vertical or horizontal, diagonal or anti, True,
            u < 2 or v > last - 2, v < 2 or vertical][label]


def write_idx(folder, count, seed, wrong_labels):
    """count images, label i % 10, light ink on black; the first `wrong_labels` labels are shifted by
    one, so the evaluation is sure to have off-diagonal cells whatever the model learnt."""
    rng = random.Random(seed)
    pixels, labels = bytearray(), bytearray()
    for index in range(count):
        label = index % 10
        box = 9 + rng.randrange(5)
        left, top = rng.randrange(SIDE - box + 1), rng.randrange(SIDE - box + 1)
        for y in range(SIDE):
            for x in range(SIDE):
                u, v = x - left, y - top
                ink = 0 <= u < box and 0 <= v < box and shape(label, u, v, box)
                pixels.append(200 + rng.randrange(56) if ink else rng.randrange(11))
        labels.append((label + 1) % 10 if index < wrong_labels else label)
    images = folder / f"images-{seed}.idx.gz"
    with gzip.open(images, "wb") as f:
        f.write(struct.pack(">IIII", 0x803, count, SIDE, SIDE) + bytes(pixels))
    label_file = folder / f"labels-{seed}.idx.gz"
    with gzip.open(label_file, "wb") as f:
        f.write(struct.pack(">II", 0x801, count) + bytes(labels))
    return str(images), str(label_file)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    train_images, train_labels = write_idx(folder, 300, 1, 0)
    test_images, test_labels = write_idx(folder, 200, 2, 20)
    model = folder / "m.safetensors"
    digits = str(BIN / "digits")
    subprocess.run([digits, "train", "--quiet", "--images", train_images, "--labels", train_labels, "--hidden", "16",
                    "--epochs", "3", "--batch-size", "16", "--validation", "50", "--output", str(model)],
                   check=True, cwd=folder, capture_output=True)
    out = folder / "out"
    subprocess.run([digits, "evaluate", "--images", test_images, "--labels", test_labels, "--model", str(model),
                    "--report", str(out)], check=True, cwd=folder, capture_output=True)
    return out / "index.html"


def artifacts(tmp_path_factory):
    folder = pathlib.Path(os.environ.get("DIGITS_ARTIFACTS", tmp_path_factory.getbasetemp()))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_clicking_a_cell_shows_its_images(browser, report, tmp_path_factory):
    browser.get(report.as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "table.confusion button")
    off_diagonal = [b for b in cells if b.get_attribute("data-truth") != b.get_attribute("data-predicted")]
    assert off_diagonal, "the shifted labels must give off-diagonal cells"
    cell = max(off_diagonal, key=lambda b: int(b.text))
    expected = int(cell.find_element(By.XPATH, "..").get_attribute("data-count"))
    assert int(cell.text) == expected
    truth, predicted = cell.get_attribute("data-truth"), cell.get_attribute("data-predicted")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    figures = browser.find_elements(By.CSS_SELECTOR, "#cell-gallery figure")
    assert len(figures) == expected
    assert cell.get_attribute("aria-pressed") == "true"
    heading = browser.find_element(By.ID, "cell-heading").text
    assert heading.startswith(f"{expected} image"), heading
    # Every figure is an image of that cell: its caption reads "truth → predicted".
    captions = [f.find_element(By.TAG_NAME, "figcaption").text for f in figures]
    assert all(c.startswith(f"{truth} → {predicted}") for c in captions), captions
    loaded = browser.execute_script(
        "return Array.from(document.querySelectorAll('#cell-gallery img')).every(i => i.complete && i.naturalWidth === 16)")
    assert loaded, "every thumbnail decodes as a 16x16 PNG"
    browser.save_screenshot(str(artifacts(tmp_path_factory) / "report-cell.png"))

    # The keyboard reaches the same buttons: focus a diagonal cell and press Enter.
    diagonal = next(b for b in cells if b.get_attribute("data-truth") == b.get_attribute("data-predicted"))
    browser.execute_script("arguments[0].focus()", diagonal)
    diagonal.send_keys(Keys.ENTER)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#cell-gallery figure")) == int(diagonal.text)
    assert cell.get_attribute("aria-pressed") == "false"

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_page_has_the_sections_a_person_looks_for(browser, report, tmp_path_factory):
    browser.get(report.as_uri())
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    for section in ("Per class", "Confusion matrix", "Most confident mistakes", "Training curves", "Model"):
        assert section in headings, headings
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#metrics tr.average th")]
    assert rows == ["accuracy", "macro avg", "weighted avg"]
    browser.set_window_size(1100, browser.execute_script("return document.body.scrollHeight") + 100)
    browser.save_screenshot(str(artifacts(tmp_path_factory) / "report-page.png"))
    browser.set_window_size(1024, 900)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
