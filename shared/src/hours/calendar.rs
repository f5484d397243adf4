//! The holidays that apply at one place, indexed by date, built once and shared by every
//! open-now question about that place.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::NaiveDate;

use crate::domain::{Holiday, MunicipalHoliday, Uf};
use crate::holidays;

#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    by_date: BTreeMap<NaiveDate, Vec<Holiday>>,
}

impl HolidayCalendar {
    pub fn new(holidays: impl IntoIterator<Item = Holiday>) -> HolidayCalendar {
        let mut by_date: BTreeMap<NaiveDate, Vec<Holiday>> = BTreeMap::new();
        for holiday in holidays {
            by_date.entry(holiday.date).or_default().push(holiday);
        }
        HolidayCalendar { by_date }
    }

    /// National, state and municipal holidays of a place for the given years.
    pub fn for_place(
        years: RangeInclusive<i32>,
        uf: Option<Uf>,
        municipality: Option<(u32, &[MunicipalHoliday])>,
    ) -> HolidayCalendar {
        HolidayCalendar::new(years.flat_map(|year| holidays::for_place(year, uf, municipality)))
    }

    pub fn on(&self, date: NaiveDate) -> &[Holiday] {
        self.by_date.get(&date).map_or(&[], Vec::as_slice)
    }
}
