//! An optional transformer sentence encoder (a BERT-family sentence-transformers model run by
//! candle, in pure Rust): mean-pooled embeddings that feed the classifier beside the n-grams.
//!
//! The model comes in as bytes: reading the folder is the caller's business, and nothing is
//! ever downloaded.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// Longest input in tokens; office messages say what they want well within it.
const MAX_TOKENS: usize = 128;
/// Texts embedded at once when training.
const BATCH: usize = 32;

/// Why an encoder could not be built or run, naming the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("config.json: {0}")]
    Config(String),
    #[error("tokenizer.json: {0}")]
    Tokenizer(String),
    #[error("model.safetensors: {0}")]
    Weights(String),
    #[error("encoding failed: {0}")]
    Run(String),
}

/// A loaded sentence encoder.
pub struct SentenceEncoder {
    model: BertModel,
    tokenizer: Tokenizer,
    dimension: usize,
}

impl std::fmt::Debug for SentenceEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceEncoder").field("dimension", &self.dimension).finish_non_exhaustive()
    }
}

impl SentenceEncoder {
    /// Builds the encoder from the contents of a sentence-transformers folder's `config.json`,
    /// `tokenizer.json` and `model.safetensors`.
    pub fn from_bytes(
        config_json: &[u8],
        tokenizer_json: &[u8],
        weights: Vec<u8>,
    ) -> Result<Self, EncoderError> {
        let config: Config =
            serde_json::from_slice(config_json).map_err(|e| EncoderError::Config(e.to_string()))?;
        let mut tokenizer =
            Tokenizer::from_bytes(tokenizer_json).map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        let truncation = TruncationParams { max_length: MAX_TOKENS, ..TruncationParams::default() };
        tokenizer.with_truncation(Some(truncation)).map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        let vb = VarBuilder::from_buffered_safetensors(weights, DTYPE, &Device::Cpu)
            .map_err(|e| EncoderError::Weights(e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| EncoderError::Weights(e.to_string()))?;
        Ok(SentenceEncoder { model, tokenizer, dimension: config.hidden_size })
    }

    /// The length of every embedding.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Unit-length, mean-pooled embeddings of the texts, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(self.embed_batch(batch)?);
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        let run = |e: candle_core::Error| EncoderError::Run(e.to_string());
        // Only the head of a long text is read, as for the n-grams.
        let heads: Vec<String> = texts.iter().map(|t| t.chars().take(2000).collect()).collect();
        let encodings =
            self.tokenizer.encode_batch(heads, true).map_err(|e| EncoderError::Run(e.to_string()))?;
        let rows = |f: fn(&tokenizers::Encoding) -> &[u32]| -> Result<Tensor, EncoderError> {
            let rows: Vec<Tensor> = encodings
                .iter()
                .map(|e| Tensor::new(f(e), &Device::Cpu))
                .collect::<Result<_, _>>()
                .map_err(run)?;
            Tensor::stack(&rows, 0).map_err(run)
        };
        let ids = rows(tokenizers::Encoding::get_ids)?;
        let types = rows(tokenizers::Encoding::get_type_ids)?;
        let mask = rows(tokenizers::Encoding::get_attention_mask)?;
        let hidden = self.model.forward(&ids, &types, Some(&mask)).map_err(run)?;
        let mask = mask.to_dtype(DType::F32).and_then(|m| m.unsqueeze(2)).map_err(run)?;
        let summed = hidden.broadcast_mul(&mask).and_then(|h| h.sum(1)).map_err(run)?;
        let counts = mask.sum(1).map_err(run)?;
        let mean = summed.broadcast_div(&counts).map_err(run)?;
        let norms = mean.sqr().and_then(|m| m.sum_keepdim(1)).and_then(|m| m.sqrt()).map_err(run)?;
        let unit = mean.broadcast_div(&norms).map_err(run)?;
        unit.to_vec2::<f32>().map_err(run)
    }
}
