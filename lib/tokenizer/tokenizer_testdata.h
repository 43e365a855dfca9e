#pragma once

// A hand-built tokenizer.json for the tests, small enough to check by hand.
//
// Vocabulary (byte-level spelling, 'Ġ' = space, 'Ċ' = newline; "你" is the
// bytes E4 BD A0 = "ä½ł", "好" is E5 A5 BD = "å¥½"):
//    0 h   1 e   2 l   3 o   4 Ġ   5 w   6 r   7 d   8 !   9 '  10 s  11 t
//   12 1  13 2  14 ä  15 ½  16 ł  17 å  18 ¥  19 <  20 |  21 >  22 i  23 m
//   24 _  25 n  26 a  27 Ċ
// Merges, by rank (rank r makes id 28 + r):
//    0 h e -> he        1 l l -> ll        2 he ll -> hell    3 hell o -> hello
//    4 Ġ w -> Ġw        5 o r -> or        6 Ġw or -> Ġwor    7 Ġwor l -> Ġworl
//    8 Ġworl d -> Ġworld                   9 ä ½ -> ä½       10 ä½ ł -> ä½ł (你)
//   11 å ¥ -> å¥      12 å¥ ½ -> å¥½ (好) 13 ' s -> 's       14 < | -> <|
//   15 | > -> |>
// Added tokens: 44 <|im_start|> (special), 45 <|im_end|> (special),
//               46 <think> (not special).
// Pre-tokenizer: Qwen2's Split + ByteLevel, as Qwen2 checkpoints write it.
inline constexpr const char* kTinyTokenizerJson = R"json({
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [
    {"id": 44, "content": "<|im_start|>", "single_word": false, "lstrip": false,
     "rstrip": false, "normalized": false, "special": true},
    {"id": 45, "content": "<|im_end|>", "single_word": false, "lstrip": false,
     "rstrip": false, "normalized": false, "special": true},
    {"id": 46, "content": "<think>", "single_word": false, "lstrip": false,
     "rstrip": false, "normalized": false, "special": false}
  ],
  "normalizer": {"type": "NFC"},
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {"type": "Split",
       "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},
       "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
    ]
  },
  "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false,
                     "use_regex": false},
  "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false,
              "use_regex": false},
  "model": {
    "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "",
    "end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
    "vocab": {
      "h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "!": 8, "'": 9,
      "s": 10, "t": 11, "1": 12, "2": 13, "ä": 14, "½": 15, "ł": 16, "å": 17, "¥": 18,
      "<": 19, "|": 20, ">": 21, "i": 22, "m": 23, "_": 24, "n": 25, "a": 26, "Ċ": 27,
      "he": 28, "ll": 29, "hell": 30, "hello": 31, "Ġw": 32, "or": 33, "Ġwor": 34,
      "Ġworl": 35, "Ġworld": 36, "ä½": 37, "ä½ł": 38, "å¥": 39, "å¥½": 40, "'s": 41,
      "<|": 42, "|>": 43
    },
    "merges": [
      "h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d",
      "ä ½", "ä½ ł", "å ¥", "å¥ ½", "' s", "< |", "| >"
    ]
  }
})json";
