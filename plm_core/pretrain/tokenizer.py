"""One lower-cased WordPiece vocabulary (8,192 pieces) trained on the corpus, shared by every tiny model.

Special tokens: [PAD] [UNK] [CLS] [SEP] [MASK] and the T5 sentinels <extra_id_0> .. <extra_id_31>.
The vocabulary is the same in every checkpoint; only the template that adds special tokens differs:

    encoder (BERT)   [CLS] text [SEP]
    decoder (GPT)    text                 ([SEP] ends a document during training: it is the EOS)
    enc-dec (T5)     text [SEP]           ([SEP] is T5's </s>; [PAD] starts the decoder)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from plm_core.paths import ASSETS_DIR

VOCAB_SIZE = 8192
N_SENTINELS = 32
PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SENTINELS = tuple(f"<extra_id_{i}>" for i in range(N_SENTINELS))
SPECIAL_TOKENS = (PAD, UNK, CLS, SEP, MASK, *SENTINELS)  # ids 0..4, then 5..36
Template = Literal["bert", "gpt", "t5"]


def tokenizer_dir() -> Path:
    """The shared tokenizer shipped with the checkpoints."""
    return ASSETS_DIR / "checkpoints" / "tokenizer"


def train_wordpiece(lines: Iterable[str], vocab_size: int = VOCAB_SIZE) -> Any:
    """Train the WordPiece model (a `tokenizers.Tokenizer`) on an iterable of paragraphs."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token=UNK, max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=list(SPECIAL_TOKENS), show_progress=False
    )
    lines = list(lines)
    tok.train_from_iterator(lines, trainer=trainer)
    return renumber_by_frequency(tok, lines)


def renumber_by_frequency(tok: Any, lines: list[str]) -> Any:
    """Give ids in a reproducible order: specials, then pieces by corpus frequency (ties by spelling).

    The trainer breaks frequency ties in hash order, so two runs may number a few pieces differently.
    """
    from collections import Counter

    from tokenizers import Tokenizer, models

    counts: Counter[int] = Counter()
    for enc in tok.encode_batch(lines, add_special_tokens=False):
        counts.update(enc.ids)
    vocab = tok.get_vocab()
    rest = sorted((w for w in vocab if w not in SPECIAL_TOKENS), key=lambda w: (-counts[vocab[w]], w))
    ordered = {w: i for i, w in enumerate([*SPECIAL_TOKENS, *rest])}
    out = Tokenizer(models.WordPiece(vocab=ordered, unk_token=UNK, max_input_chars_per_word=100))
    out.normalizer, out.pre_tokenizer, out.decoder = tok.normalizer, tok.pre_tokenizer, tok.decoder
    out.add_special_tokens(list(SPECIAL_TOKENS))
    return out


def with_template(tok: Any, template: Template) -> Any:
    """A copy of the tokenizer whose post-processor adds the special tokens of one architecture."""
    from tokenizers import Tokenizer, processors

    out = Tokenizer.from_str(tok.to_str())
    cls_id, sep_id = out.token_to_id(CLS), out.token_to_id(SEP)
    if template == "bert":
        out.post_processor = processors.TemplateProcessing(
            single=f"{CLS} $A {SEP}", pair=f"{CLS} $A {SEP} $B {SEP}", special_tokens=[(CLS, cls_id), (SEP, sep_id)]
        )
    elif template == "t5":
        out.post_processor = processors.TemplateProcessing(
            single=f"$A {SEP}", pair=f"$A {SEP} $B {SEP}", special_tokens=[(SEP, sep_id)]
        )
    else:
        out.post_processor = None
    return out


def to_transformers(tok: Any, template: Template, max_length: int = 128) -> Any:
    """Wrap as a `PreTrainedTokenizerFast` with the special-token roles transformers expects."""
    from transformers import PreTrainedTokenizerFast

    roles: dict[str, Any] = dict(pad_token=PAD, unk_token=UNK, mask_token=MASK, sep_token=SEP, cls_token=CLS)
    roles.update(eos_token=SEP, additional_special_tokens=list(SENTINELS))
    if template == "gpt":
        roles["bos_token"] = SEP
    return PreTrainedTokenizerFast(tokenizer_object=with_template(tok, template), model_max_length=max_length, **roles)


def save_tokenizer(tok: Any, folder: Path, template: Template, max_length: int = 128) -> None:
    """Write a folder that `AutoTokenizer.from_pretrained(folder)` loads."""
    folder.mkdir(parents=True, exist_ok=True)
    to_transformers(tok, template, max_length).save_pretrained(str(folder))


def load_raw_tokenizer(folder: Path | None = None) -> Any:
    """The shared `tokenizers.Tokenizer` (no template) from the shipped folder."""
    from tokenizers import Tokenizer

    from plm_core.errors import PLMError

    path = (folder or tokenizer_dir()) / "tokenizer.json"
    if not path.exists():
        raise PLMError("pretrain.err.no_tokenizer", path=str(path))
    tok = Tokenizer.from_file(str(path))
    tok.post_processor = None
    return tok


def build_tokenizer(lines: Iterable[str], folder: Path | None = None) -> Path:
    """Train on the corpus and save the shared tokenizer (template-free, BERT roles) to `folder`."""
    folder = folder or tokenizer_dir()
    save_tokenizer(train_wordpiece(lines), folder, "gpt")
    return folder
