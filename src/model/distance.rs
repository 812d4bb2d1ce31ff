//! Great-circle distances.

/// Mean Earth radius in km (IUGG mean radius R1 = 6371.0088 km).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two WGS84 points (degrees), by the haversine
/// formula on a sphere of radius [`EARTH_RADIUS_KM`].
///
/// ```
/// // Västerås to Sala, about 35 km as the crow flies.
/// let d = allocnet::model::haversine_km(59.6111, 16.5464, 59.9202, 16.6056);
/// assert!((d - 34.6).abs() < 0.5);
/// ```
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_symmetric() {
        assert_eq!(haversine_km(59.0, 16.0, 59.0, 16.0), 0.0);
        let a = haversine_km(55.6, 13.0, 67.8, 20.2);
        let b = haversine_km(67.8, 20.2, 55.6, 13.0);
        assert!((a - b).abs() < 1e-9);
    }

    #[test]
    fn one_degree_of_latitude() {
        // pi * R / 180
        let d = haversine_km(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111.195).abs() < 0.01, "{d}");
    }
}
