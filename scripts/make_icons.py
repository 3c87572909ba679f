"""Draw the caseclient icon and write every size the installers and the app need.

    .venv/bin/python scripts/make_icons.py

Writes, from one drawing at 1024 px:
- resources/caseclient-{16..1024}.png  Briefcase's Linux packages (hicolor sizes)
- resources/caseclient.ico             Briefcase's Windows app and MSI
- resources/caseclient.icns            Briefcase's macOS app and DMG
- src/caseclient/gui/icons/caseclient.png  the window and tray icon at run time (in the package)

The drawing: a blue tile with a case folder and a document going into it (filing on a case).
Run it again after changing the drawing and commit the generated files with it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
RUNTIME_ICON = ROOT / "src" / "caseclient" / "gui" / "icons" / "caseclient.png"

CANVAS = 1024
PNG_SIZES = (16, 32, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
RUNTIME_SIZE = 256

TILE = (27, 78, 140)  # deep blue
TILE_EDGE = (18, 56, 104)
FOLDER_BACK = (214, 160, 52)
FOLDER_FRONT = (246, 196, 83)
PAPER = (255, 255, 255)
INK = (150, 163, 181)
ARROW = (46, 160, 92)


def _scaled(points: list[tuple[float, float]], unit: float) -> list[tuple[float, float]]:
    return [(x * unit, y * unit) for x, y in points]


def draw(size: int = CANVAS) -> Image.Image:
    """The icon on a transparent canvas; coordinates are in 1/64 of the side."""
    u = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    # Tile with a darker rim.
    pen.rounded_rectangle((1 * u, 1 * u, 63 * u, 63 * u), radius=12 * u, fill=TILE_EDGE)
    pen.rounded_rectangle((2.5 * u, 2.5 * u, 61.5 * u, 61.5 * u), radius=11 * u, fill=TILE)

    # Folder back with its tab.
    pen.polygon(_scaled([(10, 24), (10, 18), (24, 18), (28, 22), (54, 22), (54, 52), (10, 52)], u),
                fill=FOLDER_BACK)

    # The document, half inside the folder: a sheet with a folded corner and text lines.
    sheet = [(20, 8), (39, 8), (46, 15), (46, 44), (20, 44)]
    pen.polygon(_scaled(sheet, u), fill=PAPER)
    pen.polygon(_scaled([(39, 8), (39, 15), (46, 15)], u), fill=INK)
    for y in (19, 24, 29):
        pen.rounded_rectangle((24 * u, y * u, 42 * u, (y + 2) * u), radius=1 * u, fill=INK)

    # Folder front, slanted, covering the lower part of the sheet.
    pen.polygon(_scaled([(8, 32), (56, 32), (53, 54), (11, 54)], u), fill=FOLDER_FRONT)

    # A green "filed" arrow pointing down into the folder.
    pen.ellipse((38 * u, 36 * u, 58 * u, 56 * u), fill=ARROW)
    pen.polygon(_scaled([(44.5, 40), (51.5, 40), (51.5, 45), (55, 45), (48, 52.5), (41, 45), (44.5, 45)], u),
                fill=PAPER)
    return image


def resized(master: Image.Image, size: int) -> Image.Image:
    return master if master.width == size else master.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    master = draw()
    RESOURCES.mkdir(exist_ok=True)
    for size in PNG_SIZES:
        resized(master, size).save(RESOURCES / f"caseclient-{size}.png", optimize=True)
    resized(master, 256).save(RESOURCES / "caseclient.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest, *others = (resized(master, s) for s in reversed(ICNS_SIZES))
    largest.save(RESOURCES / "caseclient.icns", append_images=others)
    RUNTIME_ICON.parent.mkdir(parents=True, exist_ok=True)
    resized(master, RUNTIME_SIZE).save(RUNTIME_ICON, optimize=True)
    print(f"icons written to {RESOURCES.relative_to(ROOT)}/ and {RUNTIME_ICON.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
