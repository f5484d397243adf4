//! Distances on the map, and the cities a person can choose instead of sharing their position.
//!
//! A device's position is only ever passed to these functions in memory: it is never stored
//! and never sent anywhere. A place whose exact coordinates are unknown is measured from the
//! centre of its city, and the label says so.

use crate::domain::Uf;
use crate::ipc::GeoPoint;

/// The mean Earth radius (IUGG), in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km (haversine).
pub fn distance_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = (b.lat - a.lat).to_radians();
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Whether a point is a plausible position (finite, on the globe).
pub fn is_valid(p: GeoPoint) -> bool {
    p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0
}

/// A city a person can pick ("Estou em…").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct City {
    pub name: &'static str,
    pub uf: Uf,
    /// IBGE municipality code.
    pub ibge: u32,
    /// The city's seat (sede municipal), approximately.
    pub centre: GeoPoint,
}

const fn city(name: &'static str, uf: Uf, ibge: u32, lat: f64, lon: f64) -> City {
    City {
        name,
        uf,
        ibge,
        centre: GeoPoint { lat, lon },
    }
}

/// The state capitals, and the cities around the offices in the catalog. Coordinates are the
/// municipal seats (IBGE, Cadastro de Localidades), rounded: good for "a cerca de 3 km".
pub const CITIES: &[City] = &[
    city("Rio Branco", Uf::AC, 1200401, -9.975, -67.810),
    city("Maceió", Uf::AL, 2704302, -9.666, -35.735),
    city("Macapá", Uf::AP, 1600303, 0.035, -51.069),
    city("Manaus", Uf::AM, 1302603, -3.119, -60.022),
    city("Salvador", Uf::BA, 2927408, -12.971, -38.501),
    city("Fortaleza", Uf::CE, 2304400, -3.717, -38.543),
    city("Brasília", Uf::DF, 5300108, -15.794, -47.883),
    city("Vitória", Uf::ES, 3205309, -20.316, -40.313),
    city("Vila Velha", Uf::ES, 3205200, -20.330, -40.293),
    city("Serra", Uf::ES, 3205002, -20.129, -40.308),
    city("Cariacica", Uf::ES, 3201308, -20.263, -40.417),
    city("Goiânia", Uf::GO, 5208707, -16.687, -49.265),
    city("São Luís", Uf::MA, 2111300, -2.531, -44.307),
    city("Cuiabá", Uf::MT, 5103403, -15.601, -56.098),
    city("Campo Grande", Uf::MS, 5002704, -20.470, -54.620),
    city("Belo Horizonte", Uf::MG, 3106200, -19.917, -43.935),
    city("Belém", Uf::PA, 1501402, -1.456, -48.490),
    city("João Pessoa", Uf::PB, 2507507, -7.120, -34.845),
    city("Curitiba", Uf::PR, 4106902, -25.428, -49.273),
    city("Recife", Uf::PE, 2611606, -8.048, -34.877),
    city("Teresina", Uf::PI, 2211001, -5.092, -42.804),
    city("Rio de Janeiro", Uf::RJ, 3304557, -22.907, -43.173),
    city("Natal", Uf::RN, 2408102, -5.795, -35.211),
    city("Porto Alegre", Uf::RS, 4314902, -30.035, -51.218),
    city("Porto Velho", Uf::RO, 1100205, -8.761, -63.900),
    city("Boa Vista", Uf::RR, 1400100, 2.824, -60.676),
    city("Pacaraima", Uf::RR, 1400456, 4.480, -61.148),
    city("Florianópolis", Uf::SC, 4205407, -27.595, -48.548),
    city("São Paulo", Uf::SP, 3550308, -23.551, -46.633),
    city("Aracaju", Uf::SE, 2800308, -10.947, -37.073),
    city("Palmas", Uf::TO, 1721000, -10.169, -48.332),
];

/// The city with this IBGE code, if it is in [`CITIES`].
pub fn city_by_ibge(ibge: u32) -> Option<&'static City> {
    CITIES.iter().find(|c| c.ibge == ibge)
}

/// Cities whose name starts with what was typed (accents and case ignored).
pub fn find_cities(typed: &str) -> Vec<&'static City> {
    let typed = crate::text::fold(typed.trim());
    let mut found: Vec<&City> = CITIES
        .iter()
        .filter(|c| crate::text::fold(c.name).starts_with(&typed))
        .collect();
    found.sort_by_key(|c| c.name);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        let vix = city_by_ibge(3205309).expect("Vitória").centre;
        let vv = city_by_ibge(3205200).expect("Vila Velha").centre;
        let bv = city_by_ibge(1400100).expect("Boa Vista").centre;
        let pac = city_by_ibge(1400456).expect("Pacaraima").centre;
        let near = distance_km(vix, vv);
        assert!((1.5..4.0).contains(&near), "Vitória–Vila Velha {near}");
        let far = distance_km(vix, bv);
        assert!((3_000.0..3_900.0).contains(&far), "Vitória–Boa Vista {far}");
        let border = distance_km(bv, pac);
        assert!(
            (170.0..220.0).contains(&border),
            "Boa Vista–Pacaraima {border}"
        );
        assert_eq!(distance_km(vix, vix), 0.0);
    }

    #[test]
    fn positions_are_checked() {
        assert!(is_valid(GeoPoint {
            lat: -20.3,
            lon: -40.3
        }));
        assert!(!is_valid(GeoPoint {
            lat: f64::NAN,
            lon: 0.0
        }));
        assert!(!is_valid(GeoPoint {
            lat: 91.0,
            lon: 0.0
        }));
    }

    #[test]
    fn cities_are_found_without_accents() {
        let names: Vec<&str> = find_cities("vito").iter().map(|c| c.name).collect();
        assert_eq!(names, ["Vitória"]);
        assert_eq!(find_cities("sao").len(), 2);
        assert!(find_cities("").len() == CITIES.len());
        let mut codes: Vec<u32> = CITIES.iter().map(|c| c.ibge).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CITIES.len(), "IBGE codes are unique");
    }
}
