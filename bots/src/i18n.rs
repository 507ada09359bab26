use std::{borrow::Cow, collections::HashMap};

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use szpon_nlp::Lang;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "pl",
        // Isolation marks around arguments show up as stray characters in some chat clients.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static PL: LanguageIdentifier = langid!("pl");
static EN: LanguageIdentifier = langid!("en");

fn language_id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::En => &EN,
        _ => &PL,
    }
}

/// A message from the bundles, in the given language.
pub fn message(lang: Lang, key: &str) -> String {
    LOCALES.lookup(language_id(lang), key)
}

/// A message with arguments. Numbers passed as `FluentValue::Number` choose plural forms.
pub fn message_with(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
    LOCALES.lookup_with_args(language_id(lang), key, &args)
}

/// What an intent is about, as in "czy chodzi o { label }?": "utratę dowodu osobistego".
pub fn intent_label(lang: Lang, intent: &str) -> String {
    // Fluent's variant keys cannot hold "/", so "faq/paszport" is "faq-paszport" there.
    message_with(lang, "intent-label", &[("intent", intent.replace('/', "-").into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A topic without a label would be asked about, and handed to the team, as "inną sprawę".
    #[test]
    fn every_shipped_intent_has_a_label_in_both_languages() {
        let intents: std::collections::BTreeSet<String> =
            szpon_nlp::Nlu::shipped_data().examples.into_iter().map(|e| e.intent).collect();
        assert!(intents.len() > 40);
        for lang in [Lang::Pl, Lang::En] {
            let other = intent_label(lang, "no such intent");
            for intent in &intents {
                assert_ne!(intent_label(lang, intent), other, "{intent} has no label in {}", lang.tag());
            }
        }
    }

    const KEYS: &[&str] = &[
        "help",
        "greeting",
        "thanks",
        "not-understood",
        "unknown-command",
        "empty-message",
        "too-long",
        "non-text",
        "unreadable",
        "language-set",
        "language-unknown",
        "invite-refused",
    ];

    #[test]
    fn every_key_exists_in_both_languages() {
        for lang in [Lang::Pl, Lang::En] {
            for key in KEYS {
                let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
                    ["office", "command", "length", "count", "limit", "language", "servers"]
                        .into_iter()
                        .map(|name| (Cow::Borrowed(name), FluentValue::from(1)))
                        .collect();
                let text = LOCALES.try_lookup_with_args(language_id(lang), key, &args);
                assert!(text.is_some_and(|t| !t.is_empty()), "{key} missing in {}", lang.tag());
            }
        }
    }

    #[test]
    fn the_message_files_have_no_syntax_errors() {
        for (name, source) in [
            ("pl/main.ftl", include_str!("../locales/pl/main.ftl")),
            ("en/main.ftl", include_str!("../locales/en/main.ftl")),
            ("pl/calls.ftl", include_str!("../locales/pl/calls.ftl")),
            ("en/calls.ftl", include_str!("../locales/en/calls.ftl")),
            ("pl/live.ftl", include_str!("../locales/pl/live.ftl")),
            ("en/live.ftl", include_str!("../locales/en/live.ftl")),
            ("pl/gamification.ftl", include_str!("../locales/pl/gamification.ftl")),
            ("en/gamification.ftl", include_str!("../locales/en/gamification.ftl")),
            ("pl/review.ftl", include_str!("../locales/pl/review.ftl")),
            ("en/review.ftl", include_str!("../locales/en/review.ftl")),
            ("pl/certificates.ftl", include_str!("../locales/pl/certificates.ftl")),
            ("en/certificates.ftl", include_str!("../locales/en/certificates.ftl")),
        ] {
            if let Err((_, errors)) =
                fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned())
            {
                panic!("{name}: {errors:?}");
            }
        }
    }

    /// A feature's own file says the same things in both languages.
    #[test]
    fn each_feature_file_has_the_same_keys_in_both_languages() {
        let keys = |source: &str| {
            source
                .lines()
                .filter_map(|line| line.split_once(" = ").map(|(key, _)| key.to_owned()))
                .filter(|key| !key.starts_with([' ', '#']))
                .collect::<Vec<_>>()
        };
        for (polish, english) in [
            (include_str!("../locales/pl/calls.ftl"), include_str!("../locales/en/calls.ftl")),
            (include_str!("../locales/pl/live.ftl"), include_str!("../locales/en/live.ftl")),
            (include_str!("../locales/pl/gamification.ftl"), include_str!("../locales/en/gamification.ftl")),
            (include_str!("../locales/pl/review.ftl"), include_str!("../locales/en/review.ftl")),
            (include_str!("../locales/pl/certificates.ftl"), include_str!("../locales/en/certificates.ftl")),
        ] {
            let polish = keys(polish);
            assert_eq!(polish, keys(english));
            assert!(polish.len() >= 10, "{polish:?}");
        }
    }

    /// What citizens may read is in both languages; what only staff read is Polish.
    #[test]
    fn helpdesk_messages_exist() {
        let citizens = [
            "helpdesk-did-it-help",
            "helpdesk-not-understood",
            "helpdesk-handed-over",
            "helpdesk-handed-over-closed",
            "helpdesk-handed-over-away",
            "helpdesk-already-waiting",
            "helpdesk-write-directly",
            "helpdesk-agent-joins",
            "helpdesk-closed",
            "helpdesk-back-to-queue",
            "helpdesk-back-to-bot",
            "help-helpdesk",
        ];
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = ["id", "back", "agent"]
            .into_iter()
            .map(|name| (Cow::Borrowed(name), FluentValue::from(1)))
            .collect();
        for lang in [Lang::Pl, Lang::En] {
            for key in citizens {
                assert!(
                    LOCALES.try_lookup_with_args(language_id(lang), key, &args).is_some(),
                    "{key} missing in {}",
                    lang.tag()
                );
            }
        }
        let source = include_str!("../locales/pl/main.ftl");
        for stage in
            ["first-response-warning", "first-response-breach", "resolution-warning", "resolution-breach"]
        {
            assert!(source.contains(&format!("\nhelpdesk-sla-{stage} = ")), "{stage}");
        }
    }

    /// The editor's and the team rooms' texts live here too, and read as before.
    #[test]
    fn the_editors_summary_counts_parts_in_polish() {
        let summary = |n: i64| {
            message_with(
                Lang::Pl,
                "editor-valid",
                &[
                    ("title", "BHP".into()),
                    ("id", "bhp".into()),
                    ("parts", n.to_string().into()),
                    ("count", n.into()),
                ],
            )
        };
        assert_eq!(summary(1), "Plik jest poprawny: kurs „BHP” (bhp), 1 część.");
        assert_eq!(summary(3), "Plik jest poprawny: kurs „BHP” (bhp), 3 części.");
        assert_eq!(summary(12), "Plik jest poprawny: kurs „BHP” (bhp), 12 części.");
        let topic = message_with(Lang::Pl, "team-room-department-topic", &[("department", "USC".into())]);
        assert_eq!(topic, "Wizyty i kolejka działu „USC”. Polecenia: !agenda, !następny, !przyjęto KOD.");
    }

    #[test]
    fn polish_plurals_follow_the_count() {
        let text = |n: i64| {
            message_with(
                Lang::Pl,
                "too-long",
                &[("length", n.to_string().into()), ("count", n.into()), ("limit", "4000".into())],
            )
        };
        assert!(text(1).contains("1 znak,"), "{}", text(1));
        assert!(text(3).contains("3 znaki,"), "{}", text(3));
        assert!(text(5).contains("5 znaków,"), "{}", text(5));
        assert!(text(22).contains("22 znaki,"), "{}", text(22));
    }
}
