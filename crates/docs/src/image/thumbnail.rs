//! Does the EXIF thumbnail show the same picture as the image itself?
//!
//! A camera writes the thumbnail (IFD1) from the same exposure as the main
//! image. Many editors rewrite the pixels but copy the EXIF block as it
//! was, thumbnail included, so a thumbnail that shows another picture is
//! the trace of an edit after capture (cropping, retouching, a montage).
//!
//! Decoding a 24-megapixel photo to compare it with a 160×120 thumbnail
//! would cost more than everything else tamis reads in the file, so the
//! main image is decoded at 1/2, 1/4 or 1/8 scale by the JPEG decoder's
//! reduced IDCT (the DCT coefficients are still all read, but nothing
//! full-size is computed or stored). Both pictures are then reduced to
//! 16×16 grayscale by box averages and compared by their mean absolute
//! difference.
//!
//! Why these choices are sound:
//! - 16×16 box averages of a thumbnail and of its own main image agree to
//!   within a few levels: the averaging cancels JPEG noise, resampling
//!   filters and chroma subsampling, which are what differ between the two
//!   encodings of one picture. Measured: 0.9 levels of 255 on the control
//!   fixture (320×240 at quality 85, its 160×120 thumbnail at 75); 3.4 on a
//!   real phone photo (OnePlus A5010, re-saved by GIMP 2.8, the
//!   jpeg-decoder crate's `tower.jpg`), and 5.7 on its grayscale version,
//!   whose thumbnail stayed in colour (another luma formula). The threshold
//!   [`MISMATCH_THRESHOLD`], 12, keeps twice that margin for cameras whose
//!   thumbnail has its own tone curve.
//! - Pictures that differ in content differ by tens of levels: the edited
//!   fixture (a montage over a third of the frame, the sky recoloured)
//!   differs by 50; a montage covering a quarter of the frame with a change
//!   of contrast of 60 moves the mean by about 15. A smaller local edit
//!   (a face, a number) may stay under the threshold: the evidence gives
//!   the count of grid cells that differ by more than 48 levels for a
//!   reader to judge, but the finding is only made on the mean, which
//!   re-encoding cannot reach.
//! - Thumbnails padded with black bars (a 16:9 photo in a 160×120
//!   thumbnail, as many cameras write them) are compared on the part that
//!   holds the picture; a main image rotated by 90° without rotating the
//!   thumbnail is compared both ways and reported as a rotation, not as
//!   another picture.
//! - Grayscale, because a colour-space conversion (sRGB vs Adobe RGB) made
//!   by an editor is not a change of content and moves luminance least.

/// Mean absolute difference (levels of 255) above which the thumbnail
/// shows another picture. See the module documentation for why.
pub const MISMATCH_THRESHOLD: f64 = 12.0;

/// Side of the grayscale grids compared.
pub const GRID: usize = 16;

/// Declared images larger than this are not decoded (a JPEG header can
/// claim 65535×65535 in a few hundred bytes).
pub const MAX_DECODE_PIXELS: u64 = 100_000_000;

/// Bound on the decoder's working buffer: the decodes here are at most
/// 1/8 of 100 megapixels, about 1.6 megapixels, except for thumbnails,
/// which are small by their segment's 64 KiB bound.
const MAX_DECODING_BUFFER: usize = 64 << 20;

/// A decoded picture, one byte of luminance per pixel.
pub(crate) struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
    /// Dimensions the JPEG declares (before scaling).
    pub declared: (u16, u16),
}

/// Why a picture was not decoded.
pub(crate) enum NotDecoded {
    /// Declared dimensions over [`MAX_DECODE_PIXELS`]: refused, unread.
    TooLarge { width: u16, height: u16 },
    /// The decoder could not read it, or the format is not one compared
    /// (CMYK, 16-bit).
    Unreadable(String),
}

/// Decodes `jpeg` at the smallest scale (1, 1/2, 1/4, 1/8) that keeps
/// at least `2 * GRID` pixels on a side, to grayscale.
pub(crate) fn decode_scaled(jpeg: &[u8]) -> Result<Gray, NotDecoded> {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    decoder.set_max_decoding_buffer_size(MAX_DECODING_BUFFER);
    decoder
        .read_info()
        .map_err(|e| NotDecoded::Unreadable(e.to_string()))?;
    let info = decoder
        .info()
        .ok_or_else(|| NotDecoded::Unreadable("no frame header".into()))?;
    if u64::from(info.width) * u64::from(info.height) > MAX_DECODE_PIXELS {
        return Err(NotDecoded::TooLarge {
            width: info.width,
            height: info.height,
        });
    }
    let side = (2 * GRID) as u16;
    let (width, height) = decoder
        .scale(side, side)
        .map_err(|e| NotDecoded::Unreadable(e.to_string()))?;
    let data = decoder
        .decode()
        .map_err(|e| NotDecoded::Unreadable(e.to_string()))?;
    let (width, height) = (usize::from(width), usize::from(height));
    let pixels: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => data,
        jpeg_decoder::PixelFormat::RGB24 => data
            .chunks_exact(3)
            // ITU-R BT.601 luma, in integers.
            .map(|p| {
                ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8) as u8
            })
            .collect(),
        // An Adobe CMYK JPEG has no luminance to compare without its
        // profile; a 16-bit lossless one is not what cameras write.
        other => {
            return Err(NotDecoded::Unreadable(format!(
                "{other:?} pixels are not compared"
            )))
        }
    };
    if pixels.len() < width * height {
        return Err(NotDecoded::Unreadable("fewer pixels than declared".into()));
    }
    Ok(Gray {
        width,
        height,
        pixels,
        declared: (info.width, info.height),
    })
}

/// The outcome of a comparison.
#[derive(Debug)]
pub(crate) struct Comparison {
    /// Mean absolute difference of the 16×16 grids, levels of 255.
    pub mean_difference: f64,
    /// Grid cells (of 256) differing by more than 48 levels: where a
    /// local edit shows.
    pub cells_over_48: usize,
    /// Rotation of the thumbnail (degrees clockwise) that matched best.
    pub rotation: u16,
    /// The thumbnail had bars (letterbox) around the picture.
    pub cropped: bool,
}

/// Compares `main` and `thumb`, trying the thumbnail's 90° rotations
/// when one is portrait and the other landscape.
pub(crate) fn compare(main: &Gray, thumb: &Gray) -> Result<Comparison, String> {
    let main_grid = grid(main, full(main)).ok_or("the main image is too small to compare")?;
    let main_aspect = main.declared.0 as f64 / main.declared.1.max(1) as f64;
    let mut candidates = vec![0u16];
    if (main.width >= main.height) != (thumb.width >= thumb.height) {
        candidates.extend([90, 270]);
    }
    let mut best: Option<Comparison> = None;
    for rotation in candidates {
        let turned;
        let t = if rotation == 0 {
            thumb
        } else {
            turned = rotate(thumb, rotation);
            &turned
        };
        let (area, cropped) = picture_area(t, main_aspect);
        let Some(thumb_grid) = grid(t, area) else {
            continue;
        };
        let mut sum = 0.0;
        let mut cells_over_48 = 0;
        for (a, b) in main_grid.iter().zip(thumb_grid.iter()) {
            let d = (a - b).abs();
            sum += d;
            if d > 48.0 {
                cells_over_48 += 1;
            }
        }
        let mean_difference = sum / (GRID * GRID) as f64;
        if best
            .as_ref()
            .is_none_or(|b| mean_difference < b.mean_difference)
        {
            best = Some(Comparison {
                mean_difference,
                cells_over_48,
                rotation,
                cropped,
            });
        }
    }
    best.ok_or_else(|| "the thumbnail is too small to compare".into())
}

#[derive(Clone, Copy)]
struct Area {
    x: usize,
    y: usize,
    width: usize,
    height: usize,
}

fn full(g: &Gray) -> Area {
    Area {
        x: 0,
        y: 0,
        width: g.width,
        height: g.height,
    }
}

/// The part of the thumbnail that holds a picture of aspect `aspect`: all
/// of it unless the aspects differ by more than 3 % (black bars).
fn picture_area(t: &Gray, aspect: f64) -> (Area, bool) {
    let own = t.width as f64 / t.height.max(1) as f64;
    if !aspect.is_finite() || aspect <= 0.0 || (own / aspect - 1.0).abs() < 0.03 {
        return (full(t), false);
    }
    if aspect > own {
        // Wider picture: bars above and below.
        let height = ((t.width as f64 / aspect).round() as usize).clamp(1, t.height);
        let y = (t.height - height) / 2;
        (
            Area {
                x: 0,
                y,
                width: t.width,
                height,
            },
            true,
        )
    } else {
        let width = ((t.height as f64 * aspect).round() as usize).clamp(1, t.width);
        let x = (t.width - width) / 2;
        (
            Area {
                x,
                y: 0,
                width,
                height: t.height,
            },
            true,
        )
    }
}

/// Box-averages `area` of `g` to GRID×GRID cells; `None` when the area
/// has fewer than GRID pixels on a side.
fn grid(g: &Gray, area: Area) -> Option<Vec<f64>> {
    if area.width < GRID || area.height < GRID {
        return None;
    }
    let mut cells = Vec::with_capacity(GRID * GRID);
    for cy in 0..GRID {
        let y0 = area.y + cy * area.height / GRID;
        let y1 = area.y + (cy + 1) * area.height / GRID;
        for cx in 0..GRID {
            let x0 = area.x + cx * area.width / GRID;
            let x1 = area.x + (cx + 1) * area.width / GRID;
            let mut sum = 0u64;
            for y in y0..y1 {
                let row = g.pixels.get(y * g.width + x0..y * g.width + x1)?;
                sum += row.iter().map(|&p| u64::from(p)).sum::<u64>();
            }
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            cells.push(sum as f64 / n.max(1) as f64);
        }
    }
    Some(cells)
}

/// `g` turned by 90 or 270 degrees clockwise.
fn rotate(g: &Gray, degrees: u16) -> Gray {
    let (w, h) = (g.width, g.height);
    let mut pixels = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = if degrees == 90 {
                (h - 1 - y, x)
            } else {
                (y, w - 1 - x)
            };
            pixels[ny * h + nx] = g.pixels[y * w + x];
        }
    }
    Gray {
        width: h,
        height: w,
        pixels,
        declared: (g.declared.1, g.declared.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: usize, height: usize, f: impl Fn(usize, usize) -> u8) -> Gray {
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                pixels.push(f(x, y));
            }
        }
        Gray {
            width,
            height,
            pixels,
            declared: (width as u16, height as u16),
        }
    }

    fn scene(x: usize, y: usize, w: usize, h: usize) -> u8 {
        // A gradient with a bright square in the upper left quarter.
        let (u, v) = (x as f64 / w as f64, y as f64 / h as f64);
        if u < 0.4 && v < 0.4 {
            240
        } else {
            (40.0 + 150.0 * u * v) as u8
        }
    }

    #[test]
    fn a_picture_matches_its_own_downscale() {
        let main = picture(320, 240, |x, y| scene(x, y, 320, 240));
        let thumb = picture(160, 120, |x, y| scene(x, y, 160, 120));
        let c = compare(&main, &thumb).expect("compared");
        assert!(c.mean_difference < 2.0, "{c:?}");
        assert_eq!(c.rotation, 0);
    }

    #[test]
    fn another_picture_does_not_match() {
        let main = picture(320, 240, |x, y| scene(319 - x, 239 - y, 320, 240));
        let thumb = picture(160, 120, |x, y| scene(x, y, 160, 120));
        let c = compare(&main, &thumb).expect("compared");
        assert!(c.mean_difference > MISMATCH_THRESHOLD, "{c:?}");
    }

    #[test]
    fn letterboxed_thumbnail_is_compared_on_its_picture() {
        // A 16:9 picture in a 160×120 thumbnail with black bars.
        let main = picture(320, 180, |x, y| scene(x, y, 320, 180));
        let thumb = picture(160, 120, |x, y| {
            if (15..105).contains(&y) {
                scene(x, y - 15, 160, 90)
            } else {
                0
            }
        });
        let c = compare(&main, &thumb).expect("compared");
        assert!(c.cropped);
        assert!(c.mean_difference < 3.0, "{c:?}");
    }

    #[test]
    fn rotated_main_image_is_a_rotation_not_another_picture() {
        let thumb = picture(160, 120, |x, y| scene(x, y, 160, 120));
        let main = rotate(&picture(320, 240, |x, y| scene(x, y, 320, 240)), 90);
        let c = compare(&main, &thumb).expect("compared");
        assert_eq!(c.rotation, 90);
        assert!(c.mean_difference < 2.0, "{c:?}");
    }

    #[test]
    fn tiny_pictures_are_not_compared() {
        let main = picture(8, 8, |_, _| 0);
        let thumb = picture(160, 120, |_, _| 0);
        assert!(compare(&main, &thumb).is_err());
    }

    #[test]
    fn garbage_is_not_decoded() {
        assert!(matches!(
            decode_scaled(b"\xFF\xD8\xFF\xE0garbage"),
            Err(NotDecoded::Unreadable(_))
        ));
    }

    #[test]
    fn huge_declared_dimensions_are_refused_before_decoding() {
        // SOI, then a baseline SOF0 declaring 20000×20000, 3 components.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
        jpeg.extend(20000u16.to_be_bytes());
        jpeg.extend(20000u16.to_be_bytes());
        jpeg.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        jpeg.extend([0xFF, 0xD9]);
        match decode_scaled(&jpeg) {
            Err(NotDecoded::TooLarge { width, height }) => {
                assert_eq!((width, height), (20000, 20000))
            }
            Err(NotDecoded::Unreadable(e)) => panic!("expected too-large, got unreadable: {e}"),
            Ok(_) => panic!("decoded a picture that has no data"),
        }
    }
}
