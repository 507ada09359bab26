//! Names from lookup tables and synonyms, found in text despite typos and Polish inflection:
//! "dowodu osobistego" and "dowud osobsity" both name "dowód osobisty".

use crate::{
    entities::Entity,
    text::{Token, fold, stem, tokenize},
};

#[derive(Debug, Clone)]
struct Name {
    entity: String,
    value: String,
    /// The stems of the name's words.
    stems: Vec<String>,
    letters: usize,
}

/// A set of names to look for, each with the entity kind and the canonical value it stands for.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    names: Vec<Name>,
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub entity: String,
    pub value: String,
    /// How much of the text the name covers, weighted by how well it matches: longer and
    /// closer names win.
    pub score: f64,
    /// The words it covers, as indices into the tokens.
    pub first: usize,
    pub last: usize,
}

impl Gazetteer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `phrase` as a name of `value`. Words of one letter are ignored ("z", "w").
    pub fn add(&mut self, entity: &str, value: &str, phrase: &str) {
        let stems: Vec<String> =
            fold(phrase).split(' ').filter(|w| w.chars().count() > 1).map(|w| stem(w).to_owned()).collect();
        if stems.is_empty() {
            return;
        }
        let letters = stems.iter().map(|s| s.chars().count()).sum();
        self.names.push(Name { entity: entity.to_owned(), value: value.to_owned(), stems, letters });
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every value named in the text, each once with its best match, best first.
    pub fn find(&self, tokens: &[Token]) -> Vec<Found> {
        let stems: Vec<&str> = tokens.iter().map(|t| stem(&t.folded)).collect();
        let mut found: Vec<Found> = Vec::new();
        for name in &self.names {
            let Some((score, first)) = best_window(&stems, &name.stems) else { continue };
            let score = score * name.letters as f64;
            match found.iter_mut().find(|f| f.value == name.value && f.entity == name.entity) {
                Some(f) if f.score >= score => {}
                Some(f) => *f = Found { score, first, last: first + name.stems.len() - 1, ..f.clone() },
                None => found.push(Found {
                    entity: name.entity.clone(),
                    value: name.value.clone(),
                    score,
                    first,
                    last: first + name.stems.len() - 1,
                }),
            }
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.value.cmp(&b.value)));
        found
    }

    /// The values a text names that score within a hair of the best one: one if a name stands
    /// out, several if the text is unclear.
    pub fn best_values(&self, text: &str) -> Vec<String> {
        let found = self.find(&tokenize(text));
        let Some(top) = found.first().map(|f| f.score) else { return Vec::new() };
        found.into_iter().filter(|f| f.score >= top - 0.01).map(|f| f.value).collect()
    }

    /// Entities for the names in the text, best first, never two over the same words.
    pub fn entities(&self, tokens: &[Token]) -> Vec<Entity> {
        let mut taken = vec![false; tokens.len()];
        let mut entities = Vec::new();
        for found in self.find(tokens) {
            if taken[found.first..=found.last].iter().any(|t| *t) {
                continue;
            }
            taken[found.first..=found.last].iter_mut().for_each(|t| *t = true);
            entities.push(Entity::spanning(&found.entity, found.value, &tokens[found.first..=found.last]));
        }
        entities
    }
}

/// The best similarity (0–1) of the name's stems to a window of as many words, and where.
fn best_window(stems: &[&str], name: &[String]) -> Option<(f64, usize)> {
    let n = name.len();
    if stems.len() < n {
        return None;
    }
    stems
        .windows(n)
        .enumerate()
        .filter_map(|(at, window)| {
            let sims: Option<Vec<f64>> =
                window.iter().zip(name).map(|(w, s)| word_similarity(w, s)).collect();
            sims.map(|s| (s.iter().sum::<f64>() / n as f64, at))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
}

/// How alike two stems are, if alike enough to be a typo; short stems must match exactly,
/// so that "akt" is not "auto".
fn word_similarity(word: &str, name: &str) -> Option<f64> {
    if word == name {
        return Some(1.0);
    }
    if name.chars().count() <= 4 || word.chars().count() <= 3 {
        return None;
    }
    let similarity = strsim::normalized_damerau_levenshtein(word, name);
    (similarity >= 0.75).then_some(similarity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Gazetteer {
        let mut g = Gazetteer::new();
        g.add("service", "dowod", "dowód osobisty");
        g.add("service", "dowod", "dowód");
        g.add("service", "prawo_jazdy", "prawo jazdy");
        g.add("service", "akt", "akt urodzenia");
        g.add("service", "meldunek", "zameldowanie");
        g
    }

    #[test]
    fn inflection_and_typos() {
        let g = services();
        assert_eq!(g.best_values("chcę wyrobić dowodu osobistego"), ["dowod"]);
        assert_eq!(g.best_values("dowud osobsity"), ["dowod"]);
        assert_eq!(g.best_values("w sprawie prawa jazdy"), ["prawo_jazdy"]);
        assert_eq!(g.best_values("zameldowania"), ["meldunek"]);
        assert!(g.best_values("auto").is_empty());
        assert!(g.best_values("").is_empty());
    }

    #[test]
    fn entities_do_not_overlap() {
        let g = services();
        let text = "Dowód osobisty i prawo jazdy";
        let entities = g.entities(&tokenize(text));
        let found: Vec<(&str, usize, usize)> =
            entities.iter().map(|e| (e.value.as_str(), e.start, e.end)).collect();
        assert_eq!(found, [("dowod", 0, 14), ("prawo_jazdy", 17, 28)]);
    }
}
