//! Public holidays of Brazil: national (fixed and Easter-based), state holidays of the 27 UFs,
//! and municipal holidays listed by an office, each with its legal source.

use chrono::NaiveDate;

use crate::domain::{Holiday, MunicipalHoliday, Uf};

/// Easter Sunday (Gregorian calendar).
pub fn easter(year: i32) -> NaiveDate {
    todo!("{year}")
}

/// National holidays and federal optional days (pontos facultativos) of a year.
pub fn national(year: i32) -> Vec<Holiday> {
    todo!("{year}")
}

/// State holidays of one UF in a year.
pub fn state(year: i32, uf: Uf) -> Vec<Holiday> {
    todo!("{year} {uf:?}")
}

/// Municipal holidays an office lists, for one year.
pub fn municipal(year: i32, ibge: u32, listed: &[MunicipalHoliday]) -> Vec<Holiday> {
    todo!("{year} {ibge} {listed:?}")
}

/// Every holiday that applies at a place in a year, sorted by date.
pub fn for_place(
    year: i32,
    uf: Option<Uf>,
    municipality: Option<(u32, &[MunicipalHoliday])>,
) -> Vec<Holiday> {
    todo!("{year} {uf:?} {municipality:?}")
}
