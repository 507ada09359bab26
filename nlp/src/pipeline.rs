//! The whole NLU: text in, intent with confidence, ranking and entities out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{
    Lang,
    classifier::{LinearModel, TrainConfig, TrainError},
    data::TrainingData,
    encoder::{EncoderError, SentenceEncoder},
    entities::{Entity, codes_and_numbers, phone_numbers},
    features::{FeatureConfig, SparseVec, Vectorizer},
    gazetteer::Gazetteer,
    text::tokenize,
    time::{TimeMention, extract_time},
};

/// Settings of the NLU, from the office's configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NluConfig {
    /// Below this confidence the NLU does not claim to know the intent.
    pub confidence_threshold: f64,
    /// If the two best intents are closer than this, the NLU asks which one was meant.
    pub ambiguity_threshold: f64,
    pub features: FeatureConfig,
    pub train: TrainConfig,
    /// How much the sentence embedding counts beside the n-gram blocks (each of length one).
    pub encoder_weight: f32,
}

impl Default for NluConfig {
    fn default() -> Self {
        NluConfig {
            confidence_threshold: 0.25,
            ambiguity_threshold: 0.2,
            features: FeatureConfig::default(),
            train: TrainConfig::default(),
            encoder_weight: 2.0,
        }
    }
}

/// Why an NLU could not be built.
#[derive(Debug, thiserror::Error)]
pub enum NluError {
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error("the regular expression for \"{name}\" is invalid: {message}")]
    Regex { name: String, message: String },
    #[error("the sentence encoder: {0}")]
    Encoder(#[from] EncoderError),
}

/// An intent and how sure the NLU is of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentScore {
    pub name: String,
    pub confidence: f64,
}

/// How far the NLU trusts its best guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Sure enough to act on.
    Confident,
    /// Two intents are nearly as likely: ask which one.
    Ambiguous,
    /// Not sure at all: say so, or give the out-of-scope answer.
    Unsure,
}

impl Decision {
    /// How far to trust the best intent, from its confidence and the runner-up's: too low is
    /// unsure, too close to the second is a question, else an answer.
    pub fn of(top: f64, second: f64, confidence_threshold: f64, ambiguity_threshold: f64) -> Self {
        if top < confidence_threshold {
            Decision::Unsure
        } else if top - second < ambiguity_threshold {
            Decision::Ambiguous
        } else {
            Decision::Confident
        }
    }
}

/// What the NLU made of a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parse {
    pub text: String,
    pub intent: IntentScore,
    pub confidence: f64,
    /// The intents from most to least likely (at most ten).
    pub ranking: Vec<IntentScore>,
    pub entities: Vec<Entity>,
    pub decision: Decision,
    /// The date and times the text mentions, resolved.
    #[serde(skip)]
    pub time: TimeMention,
}

impl Parse {
    /// The intent, if the NLU is sure enough of it to act.
    pub fn confident_intent(&self) -> Option<&str> {
        (self.decision == Decision::Confident).then_some(self.intent.name.as_str())
    }

    /// The first value of an entity kind.
    pub fn entity(&self, kind: &str) -> Option<&str> {
        self.entities.iter().find(|e| e.entity == kind).map(|e| e.value.as_str())
    }
}

/// A trained NLU: features, classifier, entity finders and the answers to retrieval intents.
#[derive(Debug)]
pub struct Nlu {
    config: NluConfig,
    vectorizer: Vectorizer,
    model: LinearModel,
    intents: Vec<String>,
    gazetteer: Gazetteer,
    regexes: Vec<(String, regex::Regex)>,
    responses: std::collections::BTreeMap<String, std::collections::BTreeMap<Lang, Vec<String>>>,
    /// Sentence embeddings fed to the classifier beside the n-grams, if configured.
    encoder: Option<std::sync::Arc<SentenceEncoder>>,
}

const SHIPPED: &[(&str, &str)] = &[
    ("nlp/data/pl.yml", include_str!("../data/pl.yml")),
    ("nlp/data/en.yml", include_str!("../data/en.yml")),
    ("nlp/data/responses.yml", include_str!("../data/responses.yml")),
];

impl Nlu {
    /// The data szpon ships: its own intents and a municipal office's FAQ, in Polish and English.
    pub fn shipped_data() -> TrainingData {
        let mut data = TrainingData::default();
        for (file, text) in SHIPPED {
            // The shipped files are tested; a mistake in them is a bug, not an office's input.
            data.merge(TrainingData::parse(file, text).unwrap_or_else(|e| panic!("shipped NLU data: {e}")));
        }
        data
    }

    /// The shipped data in one language, for evaluation.
    pub fn shipped_language(lang: Lang) -> TrainingData {
        let (file, text) = if lang == Lang::En { SHIPPED[1] } else { SHIPPED[0] };
        TrainingData::parse(file, text).unwrap_or_else(|e| panic!("shipped NLU data: {e}"))
    }

    /// The NLU trained on the shipped data with the default settings, trained once per process
    /// and shared: for callers (and tests) that have no office data of their own.
    pub fn shipped() -> std::sync::Arc<Nlu> {
        static SHIPPED: std::sync::OnceLock<std::sync::Arc<Nlu>> = std::sync::OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                let nlu = Nlu::train(&Nlu::shipped_data(), NluConfig::default());
                std::sync::Arc::new(nlu.unwrap_or_else(|e| panic!("the shipped NLU data trains: {e}")))
            })
            .clone()
    }

    /// Learns from `data`; seconds for thousands of examples.
    pub fn train(data: &TrainingData, config: NluConfig) -> Result<Nlu, NluError> {
        Nlu::train_with_encoder(data, config, None)
    }

    /// Learns from `data`, with sentence embeddings beside the n-grams if an encoder is given
    /// (which embeds every example once: expect some seconds per thousand on a CPU).
    pub fn train_with_encoder(
        data: &TrainingData,
        config: NluConfig,
        encoder: Option<std::sync::Arc<SentenceEncoder>>,
    ) -> Result<Nlu, NluError> {
        let intents: Vec<String> = data.intents().into_iter().map(str::to_owned).collect();
        let vectorizer = Vectorizer::fit(data.examples.iter().map(|e| e.text.as_str()), config.features);
        let mut rows: Vec<SparseVec> = data.examples.iter().map(|e| vectorizer.transform(&e.text)).collect();
        let mut features = vectorizer.len();
        if let Some(encoder) = &encoder {
            let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
            for (row, embedding) in rows.iter_mut().zip(encoder.embed(&texts)?) {
                append_embedding(row, features, &embedding, config.encoder_weight);
            }
            features += encoder.dimension();
        }
        let labels: Vec<usize> =
            data.examples.iter().map(|e| intents.binary_search(&e.intent).unwrap_or_default()).collect();
        let model = LinearModel::train(&rows, &labels, features, intents.len(), config.train)?;
        let regexes = data
            .regexes
            .iter()
            .map(|(name, pattern)| {
                regex::Regex::new(pattern)
                    .map(|r| (name.clone(), r))
                    .map_err(|e| NluError::Regex { name: name.clone(), message: e.to_string() })
            })
            .collect::<Result<_, _>>()?;
        Ok(Nlu {
            config,
            vectorizer,
            model,
            intents,
            gazetteer: gazetteer_of(data),
            regexes,
            responses: data.responses.clone(),
            encoder,
        })
    }

    /// Whether sentence embeddings are part of the features.
    pub fn has_encoder(&self) -> bool {
        self.encoder.is_some()
    }

    /// The classifier's input for a text.
    fn features_of(&self, text: &str) -> SparseVec {
        let mut row = self.vectorizer.transform(text);
        if let Some(encoder) = &self.encoder {
            // An embedding that fails leaves the n-grams to decide alone.
            if let Ok(Some(embedding)) = encoder.embed(&[text]).map(|mut e| e.pop()) {
                append_embedding(&mut row, self.vectorizer.len(), &embedding, self.config.encoder_weight);
            }
        }
        row
    }

    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    pub fn config(&self) -> &NluConfig {
        &self.config
    }

    /// Understands a text; `today` is the local date that "jutro" is relative to.
    pub fn parse(&self, text: &str, today: NaiveDate) -> Parse {
        let probabilities = self.model.probabilities(&self.features_of(text));
        let mut ranking: Vec<IntentScore> = self
            .intents
            .iter()
            .zip(probabilities)
            .map(|(name, confidence)| IntentScore { name: name.clone(), confidence })
            .collect();
        ranking.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.name.cmp(&b.name)));
        ranking.truncate(10);
        let top = ranking[0].clone();
        let second = ranking.get(1).map_or(0.0, |s| s.confidence);
        let decision = Decision::of(
            top.confidence,
            second,
            self.config.confidence_threshold,
            self.config.ambiguity_threshold,
        );
        let (time, entities) = self.entities(text, today);
        Parse {
            text: text.to_owned(),
            confidence: top.confidence,
            intent: top,
            ranking,
            entities,
            decision,
            time,
        }
    }

    /// Dates and times, names from lookup tables and synonyms, pattern matches, codes and
    /// numbers; a word belongs to one entity at most.
    pub fn entities(&self, text: &str, today: NaiveDate) -> (TimeMention, Vec<Entity>) {
        let phones = phone_numbers(text);
        // The digits of a phone number are not hours or numbers of anything else.
        let tokens: Vec<_> = tokenize(text)
            .into_iter()
            .filter(|t| !phones.iter().any(|p| p.start < t.end && t.start < p.end))
            .collect();
        let (time, mut entities) = extract_time(&tokens, today);
        entities.extend(phones);
        let names: Vec<Entity> =
            self.gazetteer.entities(&tokens).into_iter().filter(|e| !overlaps(&entities, e)).collect();
        entities.extend(names);
        for (name, pattern) in &self.regexes {
            let found = pattern.find_iter(text).map(|m| {
                let start = text[..m.start()].chars().count();
                Entity {
                    entity: name.clone(),
                    value: m.as_str().to_owned(),
                    start,
                    end: start + m.as_str().chars().count(),
                }
            });
            let fresh: Vec<Entity> = found.filter(|e| !overlaps(&entities, e)).collect();
            entities.extend(fresh);
        }
        let taken = |t: &crate::text::Token| entities.iter().any(|e| e.start < t.end && t.start < e.end);
        let plain = codes_and_numbers(&tokens, taken);
        entities.extend(plain);
        entities.sort_by_key(|e| e.start);
        (time, entities)
    }

    /// The answer to a retrieval intent ("faq/dowod") in a language, or in Polish if there is
    /// none in that one.
    pub fn answer(&self, intent: &str, lang: Lang) -> Option<&str> {
        let by_lang = self.responses.get(intent)?;
        by_lang.get(&lang).or_else(|| by_lang.get(&Lang::Pl)).and_then(|v| v.first()).map(String::as_str)
    }
}

fn append_embedding(row: &mut SparseVec, offset: usize, embedding: &[f32], weight: f32) {
    row.extend(embedding.iter().enumerate().map(|(i, v)| ((offset + i) as u32, v * weight)));
}

fn overlaps(entities: &[Entity], candidate: &Entity) -> bool {
    entities.iter().any(|e| e.start < candidate.end && candidate.start < e.end)
}

fn gazetteer_of(data: &TrainingData) -> Gazetteer {
    let mut gazetteer = Gazetteer::new();
    let synonym_of = |phrase: &str| {
        let folded = crate::text::fold(phrase);
        data.synonyms.iter().find(|(p, _)| crate::text::fold(p) == folded).map_or(folded, |(_, v)| v.clone())
    };
    for (table, phrase) in &data.lookups {
        gazetteer.add(table, &synonym_of(phrase), phrase);
    }
    for example in &data.examples {
        for a in &example.annotations {
            let marked: String = example.text.chars().skip(a.start).take(a.end - a.start).collect();
            gazetteer.add(&a.entity, &a.value, &marked);
        }
    }
    for (phrase, value) in &data.synonyms {
        let entity = data
            .examples
            .iter()
            .flat_map(|e| &e.annotations)
            .find(|a| &a.value == value)
            .map_or("service", |a| a.entity.as_str());
        gazetteer.add(entity, value, phrase);
    }
    gazetteer
}
