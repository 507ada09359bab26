//! Parsing a 500-question GIFT bank (every kind of question, feedback and escapes).
//! Run: `cargo bench -p szpon-course-engine --bench gift_bank`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use szpon_course_engine::parse_gift;

/// A bank as trainers write them: the kinds in turn, with titles, feedback and escapes.
fn bank(questions: usize) -> String {
    let kinds = [
        "::Słoik {n}::Gdzie wyrzucić słoik nr {n}? {=do szkła#Tak, szkło. ~do papieru#Nie. ~do metali#Nie.}",
        "::Nakrętka {n}::Szkło nr {n} wrzucamy z nakrętką. {F#Nakrętkę odkręcamy.#Dobrze.}",
        "Które odpady nr {n} są bio? {\n  ~%50%skórki od bananów\n  ~%50%fusy z kawy\n  ~%-100%pieluchy#Nie!\n}",
        "Jak nazywa się pojemnik nr {n} na szkło? {=zielony =zielony pojemnik ####Zielony.}",
        "Ile to {n} \\+ 1? {#{m}:0.5}",
        "Połącz ({n}). {=szkło -> zielony =papier -> niebieski =metale -> żółty}",
        "Opisz, jak segregujesz odpady ({n}). {}",
    ];
    let mut source = String::from("// Bank pytań: segregacja odpadów\n$CATEGORY: $course$/Segregacja\n\n");
    for n in 0..questions {
        let question =
            kinds[n % kinds.len()].replace("{n}", &n.to_string()).replace("{m}", &(n + 1).to_string());
        source.push_str(&question);
        source.push_str("\n\n");
    }
    source
}

fn gift_bank(c: &mut Criterion) {
    let source = bank(500);
    assert_eq!(parse_gift(&source).unwrap().len(), 500);
    let mut group = c.benchmark_group("gift");
    group.throughput(Throughput::Bytes(source.len() as u64));
    group.bench_function("parse 500 questions", |b| b.iter(|| parse_gift(black_box(&source)).unwrap()));
    group.finish();
}

criterion_group!(benches, gift_bank);
criterion_main!(benches);
