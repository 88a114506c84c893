"""Tiny random-initialised transformers for fast unit tests (12-dim, 3 heads, 2 layers).

They use the MiniLM WordPiece tokenizer (installed with the app), so tests need no other files.
"""

from __future__ import annotations

from plm_core.backbones.base import BackboneSpec, Family
from plm_core.backbones.hf import HFBackbone, auto_class
from plm_core.backbones.registry import get_spec, require_package

TINY_DIMS = dict(hidden=12, heads=3, layers=2, ffn=24, positions=64)
BODY_CAPS = frozenset({"token_states", "attention", "trainable", "sentence_vectors"})
HEAD_CAPS: dict[str, frozenset[str]] = {  # what a tiny random transformer can do, by its LM head
    "": BODY_CAPS | {"mask_swap"},
    "mlm": BODY_CAPS | {"mask_swap", "masked_lm"},
    "clm": BODY_CAPS | {"mask_swap", "causal_lm"},
    "seq2seq": BODY_CAPS | {"seq2seq"},
}


def tiny_config(family: str, vocab_size: int, pad_id: int, eos_id: int):
    from transformers import BertConfig, GPT2Config, T5Config

    d = TINY_DIMS
    if family == "encoder":
        return BertConfig(vocab_size=vocab_size, hidden_size=d["hidden"], num_attention_heads=d["heads"],
                          num_hidden_layers=d["layers"], intermediate_size=d["ffn"],
                          max_position_embeddings=d["positions"], pad_token_id=pad_id)
    if family == "decoder":
        return GPT2Config(vocab_size=vocab_size, n_embd=d["hidden"], n_head=d["heads"], n_layer=d["layers"],
                          n_positions=d["positions"], bos_token_id=eos_id, eos_token_id=eos_id, pad_token_id=pad_id)
    if family == "encoder-decoder":
        return T5Config(  # type: ignore[call-arg]  # T5Config's typed __init__ omits kwargs it accepts at runtime
                        vocab_size=vocab_size, d_model=d["hidden"], d_kv=d["hidden"] // d["heads"],
                        d_ff=d["ffn"], num_layers=d["layers"], num_heads=d["heads"], pad_token_id=pad_id,
                        eos_token_id=eos_id, decoder_start_token_id=pad_id)
    raise ValueError(f"no tiny config for family {family!r}")


def tiny_random_backbone(family: Family = "encoder", head: str = "", seed: int = 0) -> HFBackbone:
    """A 2-layer, 12-dim random transformer of the given family behind the common interface."""
    import torch
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(require_package(get_spec("minilm-l6"))))
    eos_id = tokenizer.sep_token_id
    config = tiny_config(family, tokenizer.vocab_size, tokenizer.pad_token_id, eos_id)
    torch.manual_seed(seed)
    head = head or {"encoder": "", "decoder": "clm", "encoder-decoder": "seq2seq"}[family]
    model = auto_class(head).from_config(config, attn_implementation="eager")
    d = TINY_DIMS
    spec = BackboneSpec(
        name=f"tiny-random-{family}", display=f"tiny random {family}", family=family, loader="tiny",
        source="tests", install="", license="MIT", layers=d["layers"], hidden_size=d["hidden"],
        heads=d["heads"], params=sum(p.numel() for p in model.parameters()), pretrained_on="nothing",
        objective="none (random init)", max_length=d["positions"], head=head, capabilities=HEAD_CAPS[head],
    )
    return HFBackbone(spec, model, tokenizer, head=head, random_init=True)
