"""The cards, as data: the paper, its numbers (only those printed in the paper that we are sure of, as printed),
the preset each card runs (>= 3 seeds on >= 500 test texts where the data and the <= 3 min budget on a busy 2-core
CPU allow; see bench/cards.py) and its runner."""

from __future__ import annotations

from plm_core.evidence.cards import Card, Paper, PaperNumber
from plm_core.evidence.cards_probes import ContextPreset, PromptPreset, run_ethayarajh, run_gpt3, run_matrix_card
from plm_core.evidence.cards_transfer import SetFitPreset, TransferPreset, run_bert, run_elmo, run_setfit, run_ulmfit
from plm_core.evidence.matrix import MatrixJob

CARDS: dict[str, Card] = {c.id: c for c in [
    Card("ulmfit",
         Paper("Howard & Ruder", 2018, "Table 7",
               "Howard & Ruder (2018), Universal Language Model Fine-tuning for Text Classification, ACL"),
         (PaperNumber("IMDb", "scratch", "9.93", "error_pct"), PaperNumber("IMDb", "gradual", "5.00", "error_pct")),
         TransferPreset(backbone="tiny-gpt-clm", n=512, test_limit=500, epochs=4, max_length=48, seeds=3),
         run_ulmfit, "error_pct"),
    Card("bert",
         Paper("Devlin et al.", 2019, "Table 7",
               "Devlin, Chang, Lee & Toutanova (2019), BERT: Pre-training of Deep Bidirectional Transformers, NAACL"),
         (PaperNumber("CoNLL-2003 NER (dev)", "embeddings", "91.0", "f1"),
          PaperNumber("CoNLL-2003 NER (dev)", "second_last", "95.6", "f1"),
          PaperNumber("CoNLL-2003 NER (dev)", "last", "94.9", "f1"),
          PaperNumber("CoNLL-2003 NER (dev)", "concat4", "96.1", "f1"),
          PaperNumber("CoNLL-2003 NER (dev)", "mix", "95.5", "f1"),
          PaperNumber("CoNLL-2003 NER (dev)", "finetune", "96.4", "f1")),
         TransferPreset(backbone="tiny-bert-mlm", data=("movie-snippets", "wiki-topics"), n=512, test_limit=500,
                        epochs=4, max_length=48, seeds=3),
         run_bert, "macro_f1"),
    Card("elmo",
         Paper("Peters et al.", 2018, "Table 2",
               "Peters et al. (2018), Deep contextualized word representations, NAACL"),
         (PaperNumber("SQuAD", "top", "84.7", "f1"), PaperNumber("SQuAD", "mix", "85.2", "f1"),
          PaperNumber("SNLI", "top", "89.1", "accuracy_pct"), PaperNumber("SNLI", "mix", "89.5", "accuracy_pct"),
          PaperNumber("SRL", "top", "84.1", "f1"), PaperNumber("SRL", "mix", "84.8", "f1")),
         TransferPreset(backbone="tiny-elmo-bilm", n=512, test_limit=500, max_length=64, seeds=3),
         run_elmo, "accuracy"),
    Card("gpt3",
         Paper("Brown et al.", 2020, "Figure 1.2",
               "Brown et al. (2020), Language Models are Few-Shot Learners, NeurIPS"),
         (), PromptPreset(), run_gpt3, "accuracy"),
    Card("ethayarajh",
         Paper("Ethayarajh", 2019, "Figures 1-2 (§4)",
               "Ethayarajh (2019), How Contextual are Contextualized Word Representations?, EMNLP"),
         (), ContextPreset(), run_ethayarajh, "similarity"),
    Card("setfit",
         Paper("Tunstall et al.", 2022, "abstract and §1",
               "Tunstall et al. (2022), Efficient Few-Shot Learning Without Prompts (SetFit), arXiv:2209.11055"),
         (), SetFitPreset(), run_setfit, "accuracy"),
    Card("matrix",
         Paper("Raffel et al.", 2020, "§3.3, Table 4",
               "Raffel et al. (2020), Exploring the Limits of Transfer Learning with a Unified Text-to-Text "
               "Transformer (T5), JMLR"),
         (PaperNumber("GLUE (average)", "prefix_lm", "80.69", "glue"),
          PaperNumber("GLUE (average)", "bert_style", "82.96", "glue"),
          PaperNumber("GLUE (average)", "deshuffling", "73.17", "glue")),
         MatrixJob(settings=("frozen",), seeds=3, n=512, test_limit=500), run_matrix_card, "accuracy"),
]}
