//! Drawing one course certificate as a PDF, as the outbox does on delivery: the font subset and
//! embedded, one A4 page. Run: `cargo bench -p szpon-bots --bench certificate`.

use std::hint::black_box;

use chrono::TimeZone;
use criterion::{Criterion, criterion_group, criterion_main};
use ruma::owned_user_id;
use szpon_bots::certificates::{Certificate, render_pdf};

fn certificate() -> Certificate {
    Certificate {
        code: "ACDEFGHJKMNPQRTU".into(),
        user_id: owned_user_id!("@zofia:miasto.pl"),
        learner_name: Some("Zofia Wiśniewska-Żółkiewska".into()),
        course_id: "rodo".into(),
        title: "Ochrona danych osobowych w urzędzie gminy: zasady, obowiązki i dobre praktyki".into(),
        minutes: Some(90),
        score: Some(95),
        issued_at: chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap().to_utc(),
    }
}

fn bench(c: &mut Criterion) {
    let certificate = certificate();
    let url = "https://urzad.miasto.pl/certyfikat/ACDEFGHJKMNPQRTU";
    let size = render_pdf(&certificate, "Urząd Miasta", chrono_tz::Europe::Warsaw, url).unwrap().len();
    println!("certificate PDF: {size} bytes");
    c.bench_function("certificate_pdf", |b| {
        b.iter(|| {
            render_pdf(black_box(&certificate), "Urząd Miasta", chrono_tz::Europe::Warsaw, url).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
