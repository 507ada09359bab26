//! Charts as PNG images, drawn in memory: plotters on a pixel buffer, encoded with png.
//!
//! Drawing is pure computation (no files, no fonts from the system: DejaVu Sans is bundled).
//! A bot's answer carries the chart as data; it is drawn when the answer is delivered, which
//! keeps the answer itself fast and the outbox small.

use std::sync::OnceLock;

use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use serde::{Deserialize, Serialize};

/// DejaVu Sans (free licence, see `assets/DejaVuSans-LICENSE`): it has every Polish letter.
const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
const WIDTH: u32 = 960;
const HEIGHT: u32 = 480;
/// Dark blue bars and a dark orange line with dots: told apart by shape as well as colour.
const BAR_COLOUR: RGBColor = RGBColor(0x1f, 0x5f, 0xa6);
const LINE_COLOUR: RGBColor = RGBColor(0xb3, 0x4a, 0x00);

/// A PNG picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// One day's bar (a count) and point (a duration, drawn in minutes, when there was one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyPoint {
    pub date: NaiveDate,
    pub count: u32,
    pub seconds: Option<u32>,
}

impl DailyPoint {
    fn minutes(&self) -> Option<f64> {
        self.seconds.map(|s| f64::from(s) / 60.0)
    }
}

/// Bars of a count per day, with a line of minutes on the right-hand axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyChart {
    pub title: String,
    pub count_label: String,
    pub minutes_label: String,
    pub days: Vec<DailyPoint>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart has no days")]
    Empty,
    #[error("drawing the chart failed: {0}")]
    Drawing(String),
    #[error("encoding the chart failed: {0}")]
    Encoding(#[from] png::EncodingError),
}

impl DailyChart {
    /// The chart as a PNG of `WIDTH` × `HEIGHT` pixels.
    pub fn render(&self) -> Result<Png, ChartError> {
        render(self.days.is_empty(), |pixels| self.draw(pixels))
    }

    fn draw(&self, pixels: &mut [u8]) -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let days = self.days.len();
        let most = self.days.iter().map(|d| d.count).max().unwrap_or(0).max(1);
        let longest = self.days.iter().filter_map(DailyPoint::minutes).fold(0.0_f64, f64::max).max(1.0);
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, (FAMILY, 22))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .right_y_label_area_size(64)
            // Headroom above the highest bar and point keeps the legend clear of them.
            .build_cartesian_2d((0..days).into_segmented(), 0..most + most.div_ceil(2).max(1))?
            .set_secondary_coord(0.0..days as f64, 0.0..longest * 1.5);
        let dates: Vec<String> = self.days.iter().map(|d| d.date.format("%d.%m").to_string()).collect();
        let label_every = days.div_ceil(12).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(days + 1)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) if i % label_every == 0 => {
                    dates.get(*i).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .y_desc(&self.count_label)
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .draw()?;
        chart
            .configure_secondary_axes()
            .y_desc(&self.minutes_label)
            .y_label_formatter(&|minutes| format!("{minutes:.0}"))
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .draw()?;
        let bars = Histogram::vertical(&chart)
            .style(BAR_COLOUR.filled())
            .margin(if days > 60 { 0 } else { 3 })
            .data(self.days.iter().enumerate().map(|(i, d)| (i, d.count)));
        chart
            .draw_series(bars)?
            .label(&self.count_label)
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BAR_COLOUR.filled()));
        let points: Vec<(f64, f64)> = self
            .days
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.minutes().map(|m| (i as f64 + 0.5, m)))
            .collect();
        chart
            .draw_secondary_series(LineSeries::new(points.iter().copied(), LINE_COLOUR.stroke_width(3)))?
            .label(&self.minutes_label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], LINE_COLOUR.stroke_width(3)));
        chart.draw_secondary_series(points.iter().map(|p| Circle::new(*p, 4, LINE_COLOUR.filled())))?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font((FAMILY, 14))
            .draw()?;
        root.present()?;
        Ok(())
    }
}

/// Bars of a count per category: a score histogram, a survey item's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarChart {
    pub title: String,
    pub count_label: String,
    pub bars: Vec<(String, u32)>,
}

impl BarChart {
    /// The chart as a PNG of `WIDTH` × `HEIGHT` pixels.
    pub fn render(&self) -> Result<Png, ChartError> {
        render(self.bars.is_empty(), |pixels| self.draw(pixels))
    }

    fn draw(&self, pixels: &mut [u8]) -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let count = self.bars.len();
        let most = self.bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, (FAMILY, 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d((0..count).into_segmented(), 0..most + most.div_ceil(4).max(1))?;
        let labels: Vec<String> =
            self.bars.iter().map(|(label, _)| label.chars().take(24).collect()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(count + 1)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(&self.count_label)
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .draw()?;
        let bars = Histogram::vertical(&chart)
            .style(BAR_COLOUR.filled())
            .margin(8)
            .data(self.bars.iter().enumerate().map(|(i, (_, n))| (i, *n)));
        chart.draw_series(bars)?;
        root.present()?;
        Ok(())
    }
}

/// Draws on a fresh `WIDTH` × `HEIGHT` pixel buffer with the bundled font, and encodes a PNG.
fn render<'a>(
    empty: bool,
    draw: impl FnOnce(&mut [u8]) -> Result<(), Box<dyn std::error::Error + 'a>>,
) -> Result<Png, ChartError> {
    if empty {
        return Err(ChartError::Empty);
    }
    ensure_font()?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut pixels).map_err(|e| ChartError::Drawing(e.to_string()))?;
    Ok(Png { bytes: encode_png(&pixels)?, width: WIDTH, height: HEIGHT })
}

fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, FONT).map_err(|_| "the bundled font".to_owned())
        })
        .clone()
        .map_err(ChartError::Drawing)
}

fn encode_png(pixels: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(png)
}
