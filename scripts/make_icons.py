"""Draw Rebound's PNG icons with the standard library only (zlib + struct).

The mark is a ball over a U-shaped bounce, white on the brand green. Shapes are
signed-distance functions, so each pixel's coverage gives smooth edges without
supersampling. Run from the repository root:

    python scripts/make_icons.py

It rewrites frontend/icons/*.png and frontend/favicon.ico; commit the results.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "frontend"
BRAND = (0x1F, 0x5F, 0x50)  # the manifest's theme_color, #1f5f50
WHITE = (0xFF, 0xFF, 0xFF)

# The mark in unit coordinates, centred on (0.5, 0.5) with a diameter of ~0.62.
BALL = (0.635, 0.30, 0.105)  # cx, cy, r
ARC = (0.425, 0.50, 0.21, 0.04)  # cx, cy, radius, half stroke width


def _mark_distance(x: float, y: float) -> float:
    """Signed distance (unit coords) to the mark: negative inside."""
    bx, by, br = BALL
    ball = math.hypot(x - bx, y - by) - br
    cx, cy, r, hw = ARC
    if y >= cy:  # lower half of the circle: the bounce
        arc = abs(math.hypot(x - cx, y - cy) - r) - hw
    else:  # above the centre line: round caps at both ends
        arc = min(math.hypot(x - (cx - r), y - cy), math.hypot(x - (cx + r), y - cy)) - hw
    return min(ball, arc)


def _rounded_rect_distance(x: float, y: float, radius: float) -> float:
    qx = abs(x - 0.5) - (0.5 - radius)
    qy = abs(y - 0.5) - (0.5 - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def _coverage(distance_px: float) -> float:
    return min(1.0, max(0.0, 0.5 - distance_px))


def draw(size: int, *, shape: str, scale: float = 1.0, mono: bool = False) -> bytes:
    """Return RGBA rows for one icon.

    shape: "round" (rounded square, transparent corners), "full" (full bleed,
    for maskable and Apple icons) or "none" (the mark alone, for the badge).
    scale shrinks the mark about the centre (maskable icons keep it inside
    the safe zone).
    """
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # PNG filter type 0 for this row
        y = (j + 0.5) / size
        for i in range(size):
            x = (i + 0.5) / size
            mx = 0.5 + (x - 0.5) / scale
            my = 0.5 + (y - 0.5) / scale
            mark = _coverage(_mark_distance(mx, my) * scale * size)
            if shape == "none":
                bg_alpha = 0.0
            elif shape == "full":
                bg_alpha = 1.0
            else:
                bg_alpha = _coverage(_rounded_rect_distance(x, y, 0.22) * size)
            if mono or shape == "none":
                rows += bytes((*WHITE, round(255 * mark)))
                continue
            alpha = bg_alpha
            color = [c * (1 - mark) + w * mark for c, w in zip(BRAND, WHITE)]
            rows += bytes((*(round(c) for c in color), round(255 * alpha)))
    return bytes(rows)


def png(size: int, rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rgba_rows, 9))
        + chunk(b"IEND", b"")
    )


def ico(pngs: list[tuple[int, bytes]]) -> bytes:
    """An .ico file whose images are PNGs (supported by every current browser)."""
    out = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    for size, data in pngs:
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(data for _, data in pngs)


ICONS = {
    "icon-192.png": (192, "round", 1.0, False),
    "icon-512.png": (512, "round", 1.0, False),
    "icon-maskable-512.png": (512, "full", 0.72, False),
    "apple-touch-icon.png": (180, "full", 0.85, False),
    "favicon-32.png": (32, "round", 1.1, False),
    "badge-96.png": (96, "none", 1.25, True),
}


def main() -> None:
    icons = OUT / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for name, (size, shape, scale, mono) in ICONS.items():
        (icons / name).write_bytes(png(size, draw(size, shape=shape, scale=scale, mono=mono)))
        print(f"wrote frontend/icons/{name} ({size}x{size})")
    small = [(s, png(s, draw(s, shape="round", scale=1.1))) for s in (16, 32)]
    (OUT / "favicon.ico").write_bytes(ico(small))
    print("wrote frontend/favicon.ico (16, 32)")


if __name__ == "__main__":
    main()
