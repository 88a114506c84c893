"""Concept diagrams as SVG strings, drawn from the data the code uses (pure: data + translated text in).

    architecture_svg(family, layers, text)       encoder / decoder / encoder-decoder stack + its attention mask
    elmo_svg(weights, gamma, text)               the biLM's layers, the learned softmax(lambda) on the arrows, gamma
    sgns_window_svg(words, centre, window, ...)  one centre word, its window, positive pairs and negatives
    course_svg(steps, text)                      the course in order, and the path a lesson takes through it

A page shows them with `st.html`; tests read the numbers back from the SVG text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GREY, BLUE, ORANGE, GREEN, RED, INK = "#BAB0AC", "#4C78A8", "#F58518", "#54A24B", "#E45756", "#1F2430"
STATUS_COLOURS = {"trainable": ORANGE, "frozen": GREY, "unused": "#E8E8E8", "dropped": "#FFFFFF"}  # transfer diagram
NEW_COLOUR = GREEN  # a new part (the head psi, the scalar mix) while it learns


@dataclass(frozen=True)
class Fonts:
    """Font sizes (px at the diagram's own size) of every diagram, SVG and Plotly alike: a diagram is laid out
    to fit its slot on the page at this size, so nothing on screen is drawn below `small` px."""

    title: int = 16
    label: int = 14  # box labels
    small: int = 13  # notes, arrow labels, axis text


FONTS = Fonts()


def text_width(text: str, size: float) -> float:
    """An upper estimate of `text`'s width in px at font `size` (sans-serif): wide (Hangul, CJK) characters
    one em, capitals and digits 0.64 em, others 0.56 em. Boxes and canvases are sized with it."""
    def em(ch: str) -> float:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return 1.0
        return 0.64 if ch.isupper() or ch.isdigit() else 0.56

    return size * sum(em(ch) for ch in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` px (a single long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, label: str, size: int = FONTS.small, fill: str = INK, anchor: str = "start",
          bold: bool = False, cls: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<text{klass} x="{x:.0f}" y="{y:.0f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"'
            f'{weight}>{html.escape(label)}</text>')


def _box(x: float, y: float, w: float, h: float, fill: str, label: str, cls: str = "", size: int = FONTS.label,
         ink: str = INK) -> str:
    return (f'<g class="{cls}"><rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" '
            f'stroke="#555"/><text x="{x + w / 2:.0f}" y="{y + h / 2 + size * 0.35:.0f}" font-size="{size}" '
            f'fill="{ink}" text-anchor="middle">{html.escape(label)}</text></g>')


def box_width(labels: Sequence[str], size: int = FONTS.label, least: float = 0.0, pad: float = 24.0) -> float:
    """The width of a box (or a column of boxes) that holds every label at `size` with `pad` px to spare."""
    return max([least] + [text_width(label, size) + pad for label in labels])


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str = "#555", width: float = 1.5, label: str = "",
           cls: str = "", label_at: float = 0.5) -> str:
    """A line with an arrowhead (fixed size, whatever the line width) and an optional label along it."""
    lx, ly = x1 + (x2 - x1) * label_at, y1 + (y2 - y1) * label_at
    mid = (f'<text x="{lx + 6:.0f}" y="{ly - 5:.0f}" font-size="{FONTS.small}" fill="{colour}">'
           f'{html.escape(label)}</text>') if label else ""
    return (f'<g class="{cls}"><line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}" marker-end="url(#arrow)"/>{mid}</g>')


def _svg(width: float, height: float, body: str, title: str = "") -> str:
    """The whole picture; a title wider than the drawing wraps onto more lines (the drawing moves down)."""
    lines = wrap(title, FONTS.title, max(width - 16, 300)) if title else []
    width = max([width] + [text_width(line, FONTS.title) + 16 for line in lines])
    shift = 22 * max(len(lines) - 1, 0)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height + shift:.0f}" '
            f'width="{width:.0f}" height="{height + shift:.0f}" style="font-family:sans-serif" role="img">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" '
            'markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>')
    caption = "".join(_text(8, 20 + 22 * k, line, FONTS.title, bold=True) for k, line in enumerate(lines))
    moved = f'<g transform="translate(0,{shift})">{body}</g>' if shift else body
    return head + caption + moved + "</svg>"


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) of a diagram from its root element."""
    match = re.match(r'<svg[^>]*? width="([0-9.]+)" height="([0-9.]+)"', svg)
    assert match, "not a diagram"
    return float(match.group(1)), float(match.group(2))


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


BLOCK_H, BLOCK_GAP, STACK_TOP = 30, 8, 78  # px: a block's height, the gap between blocks, the top block's y


def _stack(x: float, width: float, drawn: int, label: str, fill: str, text: ArchText, cls: str) -> tuple[str, float]:
    """`drawn` blocks from STACK_TOP downward (the top one numbered `drawn`), embeddings under them; returns
    (svg, y of the embeddings' bottom edge)."""
    parts, y = [], STACK_TOP
    for i in range(drawn, 0, -1):
        parts.append(_box(x, y, width, BLOCK_H, fill, label.format(n=i), cls=f"{cls}-block"))
        y += BLOCK_H + BLOCK_GAP
    parts.append(_box(x, y, width, BLOCK_H, "#DDDDDD", text.embeddings, cls=f"{cls}-embeddings"))
    return "".join(parts), y + BLOCK_H


def architecture_svg(family: str, layers: int, text: ArchText | None = None, shown: int = 4) -> str:
    """The block stack of `family` with `layers` blocks (at most `shown` drawn, the rest as "…") and its mask,
    laid out from the text's own widths at FONTS sizes (nothing overlaps, whatever the language)."""
    text = text or ArchText()
    drawn = min(layers, shown)
    pair = family == "encoder-decoder"
    labels = [text.block, text.cross] if pair else [text.block]
    w = box_width([label.format(n=drawn) for label in labels] + [text.embeddings], least=220)
    fill = BLUE if family == "encoder" else ORANGE
    body, note_y = [], STACK_TOP - 12
    if pair:
        enc, bottom = _stack(10, w, drawn, text.block, BLUE, text, "enc")
        dec_x = 10 + w + 56
        dec, _ = _stack(dec_x, w, drawn, text.cross, ORANGE, text, "dec")
        mid = STACK_TOP + (bottom - STACK_TOP) / 2
        body += [enc, dec, _arrow(10 + w + 4, mid, dec_x - 4, mid, label=text.cross_arrow, cls="cross-arrow",
                                  label_at=0.05),
                 _text(10, note_y, text.encoder, FONTS.label), _text(dec_x, note_y, text.decoder, FONTS.label)]
        out_x, out_label, right = dec_x + w / 2, text.lm_out, dec_x + w
        grids = [(attention_mask("encoder"), BLUE, "mask-enc"), (attention_mask("decoder"), ORANGE, "mask-dec")]
        cell = 16
    else:
        stack, bottom = _stack(10, w, drawn, text.block, fill, text, "enc" if family == "encoder" else "dec")
        body.append(stack)
        out_x, out_label, right = 10 + w / 2, text.output if family == "encoder" else text.lm_out, 10 + w
        grids, cell = [(attention_mask(family), fill, f"mask-{family}")], 18
    body += [_arrow(out_x, STACK_TOP - 2, out_x, STACK_TOP - 30),
             _text(out_x + 8, STACK_TOP - 18, out_label, FONTS.small)]
    if layers > drawn:  # over the first stack, on the side away from the output arrow and its label
        body.append(_text(10 + w, note_y, f"… {layers} × ", FONTS.small, "#666", "end") if pair
                    else _text(10, STACK_TOP - 18, f"… {layers} × ", FONTS.small, "#666"))
    body.append(_text(10, bottom + 22, text.tokens_in, FONTS.small, "#666"))
    mask_x = max(right, out_x + 8 + text_width(out_label, FONTS.small)) + 28
    mask_lines = wrap(text.mask, FONTS.small, max(5 * cell, 150))
    body += [_text(mask_x, STACK_TOP - 30 + 16 * k, line, FONTS.small, "#666")
             for k, line in enumerate(mask_lines)]
    grid_y = STACK_TOP - 30 + 16 * len(mask_lines)
    for mask, colour, cls in grids:
        body.append(_mask_grid(mask, mask_x, grid_y, cell, colour, cls))
        grid_y += mask.shape[0] * cell + 14
    width = mask_x + max([5 * cell] + [text_width(line, FONTS.small) for line in mask_lines]) + 12
    height = max(bottom + 34, grid_y)
    return _svg(width, height, "".join(body), text.title.format(family=family))


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
    row, box_h = 52, 36
    height = 50 + n * row + 10
    layer_labels = [text.embeddings] + [text.layer.format(n=level) for level in range(1, n)]
    w_layer = box_width(layer_labels, least=170)
    dir_x = 10 + w_layer + 10
    arrow_x = dir_x + box_width([text.forward, text.backward], FONTS.small, pad=12)
    mix_x, w_mix = arrow_x + 160, box_width([text.mix], least=120)
    g = f"γ = {gamma:.2f}" if gamma is not None else "γ"
    task_x = mix_x + w_mix + max(70, text_width(g, FONTS.small) + 24)
    w_task = box_width([text.task], least=100)
    mid = 50 + (n * row - 16) / 2
    parts = []
    for level, (w, label) in enumerate(zip(weights, layer_labels, strict=True)):
        y = height - 10 - box_h - level * row
        parts.append(_box(10, y, w_layer, box_h, "#DDDDDD" if level == 0 else BLUE + "55", label, cls="elmo-layer"))
        if level:
            parts.append(_text(dir_x, y + 15, text.forward, FONTS.small, "#666")
                         + _text(dir_x, y + 31, text.backward, FONTS.small, "#666"))
        parts.append(_arrow(arrow_x, y + box_h / 2, mix_x - 5, mid, colour=ORANGE, width=1 + 10 * float(w),
                            label=f"{float(w):.2f}", cls="elmo-weight", label_at=0.12))
    parts.append(_box(mix_x, mid - 22, w_mix, 44, ORANGE + "55", text.mix, cls="elmo-mix"))
    parts.append(_arrow(mix_x + w_mix, mid, task_x - 5, mid, label=g, cls="elmo-gamma", label_at=0.0))
    parts.append(_box(task_x, mid - 22, w_task, 44, GREEN + "55", text.task, cls="elmo-task"))
    return _svg(task_x + w_task + 10, height, "".join(parts), text.title)


# ---- skip-gram: one window ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SgnsText:
    title: str = "Skip-gram with negative sampling: one centre word, window {window}"
    positive: str = "positive pairs (label 1)"
    negative: str = "negatives from unigram^0.75 (label 0)"


SGNS_DRAWN_NEGATIVES = 6  # negatives drawn as boxes; the table under the diagram lists all of them


def sgns_window_svg(words: Sequence[str], centre: int, window: int, negatives: Sequence[str],
                    text: SgnsText | None = None) -> str:
    """The sentence as boxes; the centre word, the 2·window context words joined to it (positives) and the
    k sampled negatives below (crossed lines)."""
    text = text or SgnsText()
    more = max(0, len(negatives) - SGNS_DRAWN_NEGATIVES)  # the model draws 15 a pair: the rest as one "+N" box
    negatives = list(negatives[:SGNS_DRAWN_NEGATIVES])
    lo, hi = max(0, centre - window), min(len(words), centre + window + 1)
    shown = list(range(max(0, lo - 2), min(len(words), hi + 2)))
    w = box_width([words[i][:10] for i in shown] + [neg[:10] for neg in negatives], least=64, pad=16)
    parts = []
    xs = {i: 10 + k * (w + 6) for k, i in enumerate(shown)}
    for i in shown:
        fill = ORANGE if i == centre else (BLUE + "66" if lo <= i < hi else "#EEEEEE")
        cls = "sgns-centre" if i == centre else ("sgns-context" if lo <= i < hi else "sgns-outside")
        parts.append(_box(xs[i], 40, w, 30, fill, words[i][:10], cls=cls))
    cx = xs[centre] + w / 2
    for i in range(lo, hi):
        if i != centre:
            parts.append(f'<path class="sgns-positive" d="M {cx:.0f} 70 Q {(cx + xs[i] + w / 2) / 2:.0f} 112 '
                         f'{xs[i] + w / 2:.0f} 70" stroke="{GREEN}" stroke-width="2" fill="none"/>')
    parts.append(_text(10, 132, text.positive, FONTS.small, GREEN))
    for k, neg in enumerate(negatives):
        x = 10 + k * (w + 6)
        parts.append(_box(x, 156, w, 30, RED + "33", neg[:10], cls="sgns-negative"))
        parts.append(f'<line x1="{cx:.0f}" y1="70" x2="{x + w / 2:.0f}" y2="156" stroke="{RED}" '
                     'stroke-dasharray="4 3" stroke-width="1"/>')
    if more:
        parts.append(_box(10 + len(negatives) * (w + 6), 156, w, 30, "#FFFFFF", f"+{more}", cls="sgns-more"))
    parts.append(_text(10, 208, text.negative, FONTS.small, RED))
    width = max(xs[shown[-1]] + w + 10, 10 + (len(negatives) + bool(more)) * (w + 6) + 10, 420,
                *(text_width(line, FONTS.small) + 20 for line in (text.positive, text.negative)))
    return _svg(width, 218, "".join(parts), text.title.format(window=window))


# ---- the course ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseStep:
    idea: str  # catalog key part: home.idea.<idea>.title
    title: str  # translated
    page: str  # translated page title where it is shown


def course_svg(steps: Sequence[CourseStep], title: str = "", path_label: str = "") -> str:
    """The course's ideas in order as boxes in a snake of rows of three, arrows along the lesson path; a title
    too long for its box wraps (all boxes take the tallest one's height)."""
    w, gx, gy = 280, 36, 36
    titles = [wrap(f"{k + 1}. {step.title}", FONTS.label, w - 24) for k, step in enumerate(steps)]
    h = 36 + 20 * max([len(lines) for lines in titles] + [1])
    parts = []
    pos = []
    for k, (step, lines) in enumerate(zip(steps, titles, strict=True)):
        row, col = divmod(k, 3)
        col = col if row % 2 == 0 else 2 - col  # snake: the path never jumps back across the picture
        x, y = 10 + col * (w + gx), 40 + row * (h + gy)
        pos.append((x, y))
        heading = "".join(f'<text x="{x + 12}" y="{y + 24 + 20 * i}" font-size="{FONTS.label}" font-weight="bold" '
                          f'fill="{INK}">{html.escape(line)}</text>' for i, line in enumerate(lines))
        parts.append(f'<g class="course-step"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" '
                     f'fill="{BLUE}22" stroke="{BLUE}"/>{heading}'
                     f'<text x="{x + 12}" y="{y + h - 12}" font-size="{FONTS.small}" fill="#555">→ '
                     f'{html.escape(step.page)}</text></g>')
    for (x1, y1), (x2, y2) in zip(pos, pos[1:], strict=False):
        if y1 == y2:
            a, b = (x1 + w, x2) if x2 > x1 else (x1, x2 + w)
            parts.append(_arrow(a, y1 + h / 2, b, y2 + h / 2, colour=ORANGE, width=2, cls="course-path"))
        else:
            parts.append(_arrow(x1 + w / 2, y1 + h, x2 + w / 2, y2, colour=ORANGE, width=2, cls="course-path"))
    rows = (len(steps) + 2) // 3
    if path_label:
        parts.append(_text(10, 40 + rows * (h + gy) - 6, path_label, FONTS.small, ORANGE))
    return _svg(10 + 3 * w + 2 * gx + 10, 40 + rows * (h + gy) + 10, "".join(parts), title)
