"""Concept diagrams as SVG strings, drawn from the data the code uses (pure: data + translated text in).

    architecture_svg(family, layers, text)       encoder / decoder / encoder-decoder stack + its attention mask
    elmo_svg(weights, gamma, text)               the biLM's layers, the learned softmax(lambda) on the arrows, gamma
    sgns_window_svg(words, centre, window, ...)  one centre word, its window, positive pairs and negatives
    course_svg(steps, text)                      the course in order, and the path a lesson takes through it

A page shows them with `st.html`; tests read the numbers back from the SVG text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GREY, BLUE, ORANGE, GREEN, RED, INK = "#BAB0AC", "#4C78A8", "#F58518", "#54A24B", "#E45756", "#1F2430"


def _box(x: float, y: float, w: float, h: float, fill: str, label: str, cls: str = "", size: int = 12,
         ink: str = INK) -> str:
    return (f'<g class="{cls}"><rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" '
            f'stroke="#555"/><text x="{x + w / 2:.0f}" y="{y + h / 2 + 4:.0f}" font-size="{size}" fill="{ink}" '
            f'text-anchor="middle">{html.escape(label)}</text></g>')


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str = "#555", width: float = 1.5, label: str = "",
           cls: str = "", label_at: float = 0.5) -> str:
    """A line with an arrowhead (fixed size, whatever the line width) and an optional label along it."""
    lx, ly = x1 + (x2 - x1) * label_at, y1 + (y2 - y1) * label_at
    mid = (f'<text x="{lx + 6:.0f}" y="{ly - 4:.0f}" font-size="11" fill="{colour}">'
           f'{html.escape(label)}</text>') if label else ""
    return (f'<g class="{cls}"><line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}" marker-end="url(#arrow)"/>{mid}</g>')


def _svg(width: int, height: int, body: str, title: str = "") -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" style="font-family:sans-serif" role="img">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
            'markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>')
    caption = (f'<text x="8" y="16" font-size="13" font-weight="bold" fill="{INK}">{html.escape(title)}</text>'
               if title else "")
    return head + caption + body + "</svg>"


# ---- the three architectures ------------------------------------------------------------------------

@dataclass(frozen=True)
class ArchText:
    title: str = "{family}"
    tokens_in: str = "input pieces"
    embeddings: str = "embeddings"
    block: str = "block {n}: self-attention + feed-forward"
    cross: str = "block {n}: masked self-attn + cross-attn + FF"
    encoder: str = "encoder"
    decoder: str = "decoder"
    output: str = "one vector per piece"
    lm_out: str = "next piece"
    mask: str = "mask: who may look at whom"
    cross_arrow: str = "cross"


def attention_mask(family: str, n: int = 5) -> np.ndarray:
    """(n, n) 1 where query i may attend to key j: all for an encoder, j <= i for a decoder."""
    full = np.ones((n, n), dtype=np.int8)
    return full if family == "encoder" else np.tril(full)


def _mask_grid(mask: np.ndarray, x: float, y: float, cell: float, colour: str, cls: str) -> str:
    cells = [f'<rect class="{cls}" x="{x + j * cell:.0f}" y="{y + i * cell:.0f}" width="{cell - 1:.0f}" '
             f'height="{cell - 1:.0f}" fill="{colour if mask[i, j] else "#EEEEEE"}"/>'
             for i in range(mask.shape[0]) for j in range(mask.shape[1])]
    return "".join(cells)


def _stack(x: float, y_bottom: float, layers: int, label: str, fill: str, text: ArchText,
           cls: str) -> tuple[str, float]:
    """Embeddings at the bottom, then `layers` blocks upward; returns (svg, y of the top edge)."""
    parts, h, gap, y = [], 26, 6, y_bottom - 26
    parts.append(_box(x, y, 250, h, "#DDDDDD", text.embeddings, cls=f"{cls}-embeddings"))
    for i in range(layers):
        y -= h + gap
        parts.append(_box(x, y, 250, h, fill, label.format(n=i + 1), cls=f"{cls}-block", size=11))
    return "".join(parts), y


def architecture_svg(family: str, layers: int, text: ArchText | None = None, shown: int = 4) -> str:
    """The block stack of `family` with `layers` blocks (at most `shown` drawn, the rest as "…") and its mask."""
    text = text or ArchText()
    drawn = min(layers, shown)
    top_pad = 40
    height = top_pad + 80 + (drawn + 1) * 32 + 60
    base = height - 40
    body = [f'<text x="8" y="{base + 30}" font-size="11" fill="#666">{html.escape(text.tokens_in)}</text>']
    if family == "encoder-decoder":
        enc, top_e = _stack(10, base, drawn, text.block, BLUE, text, "enc")
        dec, top_d = _stack(300, base, drawn, text.cross, ORANGE, text, "dec")
        body += [enc, dec,
                 _arrow(260, (top_e + base) / 2, 298, (top_d + base) / 2, label=text.cross_arrow, cls="cross-arrow"),
                 f'<text x="10" y="{top_e - 8:.0f}" font-size="12">{html.escape(text.encoder)}</text>',
                 f'<text x="300" y="{top_d - 8:.0f}" font-size="12">{html.escape(text.decoder)}</text>',
                 _arrow(425, top_d, 425, top_d - 22),
                 f'<text x="435" y="{top_d - 12:.0f}" font-size="11">{html.escape(text.lm_out)}</text>']
        masks = _mask_grid(attention_mask("encoder"), 580, top_pad + 20, 14, BLUE, "mask-enc") + \
            _mask_grid(attention_mask("decoder"), 580, top_pad + 110, 14, ORANGE, "mask-dec")
        width = 680
    else:
        fill = BLUE if family == "encoder" else ORANGE
        stack, top = _stack(10, base, drawn, text.block, fill, text, "enc" if family == "encoder" else "dec")
        out = text.output if family == "encoder" else text.lm_out
        body += [stack, _arrow(135, top, 135, top - 22),
                 f'<text x="145" y="{top - 10:.0f}" font-size="11">{html.escape(out)}</text>']
        masks = _mask_grid(attention_mask(family), 300, top_pad + 20, 16, fill, f"mask-{family}")
        width = 420
    if layers > drawn:
        body.append(f'<text x="12" y="{top_pad + 12}" font-size="11" fill="#666">… {layers} × </text>')
    body.append(f'<text x="{width - 110}" y="{top_pad + 10}" font-size="11" fill="#666">'
                f'{html.escape(text.mask)}</text>')
    return _svg(width, height, "".join(body) + masks, text.title.format(family=family))


# ---- ELMo: the biLM and its layer mix ---------------------------------------------------------------

@dataclass(frozen=True)
class ElmoText:
    title: str = "ELMo: task vector = γ · Σ softmax(λ)_l · h_l"
    layer: str = "layer {n}"
    embeddings: str = "layer 0: token embedding"
    forward: str = "→ forward LSTM"
    backward: str = "← backward LSTM"
    mix: str = "weighted sum"
    task: str = "task model"


def elmo_svg(weights: Sequence[float], gamma: float | None, text: ElmoText | None = None) -> str:
    """Layers 0..L bottom to top, each with an arrow into the mix whose width and label are softmax(λ)_l."""
    text = text or ElmoText()
    n = len(weights)
    height = 70 + n * 50 + 20
    parts = []
    for level, w in enumerate(weights):
        y = height - 40 - level * 50
        label = text.embeddings if level == 0 else text.layer.format(n=level)
        parts.append(_box(10, y, 170, 32, "#DDDDDD" if level == 0 else BLUE + "55", label, cls="elmo-layer", size=11))
        if level:
            parts.append(f'<text x="190" y="{y + 14}" font-size="10" fill="#666">{html.escape(text.forward)}</text>'
                         f'<text x="190" y="{y + 27}" font-size="10" fill="#666">{html.escape(text.backward)}</text>')
        parts.append(_arrow(290, y + 16, 440, height / 2, colour=ORANGE, width=1 + 10 * float(w),
                            label=f"{float(w):.2f}", cls="elmo-weight", label_at=0.12))
    g = f"γ = {gamma:.2f}" if gamma is not None else "γ"
    parts.append(_box(445, height / 2 - 20, 120, 40, ORANGE + "55", text.mix, cls="elmo-mix", size=11))
    parts.append(_arrow(565, height / 2, 625, height / 2, label=g, cls="elmo-gamma"))
    parts.append(_box(630, height / 2 - 20, 100, 40, GREEN + "55", text.task, cls="elmo-task", size=11))
    return _svg(740, int(height), "".join(parts), text.title)


# ---- skip-gram: one window ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SgnsText:
    title: str = "Skip-gram with negative sampling: one centre word, window {window}"
    positive: str = "positive pairs (label 1)"
    negative: str = "negatives from unigram^0.75 (label 0)"


def sgns_window_svg(words: Sequence[str], centre: int, window: int, negatives: Sequence[str],
                    text: SgnsText | None = None) -> str:
    """The sentence as boxes; the centre word, the 2·window context words joined to it (positives) and the
    k sampled negatives below (crossed lines)."""
    text = text or SgnsText()
    lo, hi = max(0, centre - window), min(len(words), centre + window + 1)
    shown = list(range(max(0, lo - 2), min(len(words), hi + 2)))
    w = 78
    parts = []
    xs = {i: 10 + k * (w + 6) for k, i in enumerate(shown)}
    for i in shown:
        fill = ORANGE if i == centre else (BLUE + "66" if lo <= i < hi else "#EEEEEE")
        cls = "sgns-centre" if i == centre else ("sgns-context" if lo <= i < hi else "sgns-outside")
        parts.append(_box(xs[i], 40, w, 28, fill, words[i][:10], cls=cls, size=11))
    cx = xs[centre] + w / 2
    for i in range(lo, hi):
        if i != centre:
            parts.append(f'<path class="sgns-positive" d="M {cx:.0f} 68 Q {(cx + xs[i] + w / 2) / 2:.0f} 110 '
                         f'{xs[i] + w / 2:.0f} 68" stroke="{GREEN}" stroke-width="2" fill="none"/>')
    parts.append(f'<text x="10" y="128" font-size="11" fill="{GREEN}">{html.escape(text.positive)}</text>')
    for k, neg in enumerate(negatives):
        x = 10 + k * (w + 6)
        parts.append(_box(x, 150, w, 26, RED + "33", neg[:10], cls="sgns-negative", size=11))
        parts.append(f'<line x1="{cx:.0f}" y1="68" x2="{x + w / 2:.0f}" y2="150" stroke="{RED}" '
                     'stroke-dasharray="4 3" stroke-width="1"/>')
    parts.append(f'<text x="10" y="195" font-size="11" fill="{RED}">{html.escape(text.negative)}</text>')
    width = max(xs[shown[-1]] + w + 10, 10 + len(negatives) * (w + 6) + 10, 420)
    return _svg(int(width), 205, "".join(parts), text.title.format(window=window))


# ---- the course ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseStep:
    idea: str  # catalog key part: home.idea.<idea>.title
    title: str  # translated
    page: str  # translated page title where it is shown


def course_svg(steps: Sequence[CourseStep], title: str = "", path_label: str = "") -> str:
    """The course's ideas in order as boxes in a snake of rows of three, arrows along the lesson path."""
    w, h, gx, gy = 270, 64, 36, 36
    parts = []
    pos = []
    for k, step in enumerate(steps):
        row, col = divmod(k, 3)
        col = col if row % 2 == 0 else 2 - col  # snake: the path never jumps back across the picture
        x, y = 10 + col * (w + gx), 40 + row * (h + gy)
        pos.append((x, y))
        parts.append(f'<g class="course-step"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" '
                     f'fill="{BLUE}22" stroke="{BLUE}"/><text x="{x + 12}" y="{y + 24}" font-size="12" '
                     f'font-weight="bold" fill="{INK}">{k + 1}. {html.escape(step.title)}</text>'
                     f'<text x="{x + 12}" y="{y + 46}" font-size="11" fill="#555">→ '
                     f'{html.escape(step.page)}</text></g>')
    for (x1, y1), (x2, y2) in zip(pos, pos[1:], strict=False):
        if y1 == y2:
            a, b = (x1 + w, x2) if x2 > x1 else (x1, x2 + w)
            parts.append(_arrow(a, y1 + h / 2, b, y2 + h / 2, colour=ORANGE, width=2, cls="course-path"))
        else:
            parts.append(_arrow(x1 + w / 2, y1 + h, x2 + w / 2, y2, colour=ORANGE, width=2, cls="course-path"))
    rows = (len(steps) + 2) // 3
    if path_label:
        parts.append(f'<text x="10" y="{40 + rows * (h + gy) - 6}" font-size="11" fill="{ORANGE}">'
                     f'{html.escape(path_label)}</text>')
    return _svg(10 + 3 * w + 2 * gx + 10, 40 + rows * (h + gy) + 10, "".join(parts), title)
