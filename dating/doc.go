// Package dating turns museum date text into a range of years and holds the
// built-in authority of Chinese periods, dynasties, reigns and era names.
//
// Years are historical: negative means BCE and there is no year 0, so 1 BCE
// is -1 and the year after it is 1.
//
// Parse reads English as museums write it ("Qing dynasty (1644–1911),
// Qianlong reign (1736–95)", "late 18th-early 19th century", "ca. 1700",
// "6th-5th century BC", "Kangxi [K'ang-hsi]") and Chinese ("清乾隆年间",
// "明代中期", "公元前3世纪", "大明宣德年制", "乾隆三十年"). The conventions:
//
//   - The Nth century runs from (N-1)*100+1 to N*100: the 18th century is
//     1701–1800, as the Walters Art Museum records it. "1700s" is 1700–1799
//     and "1680s" is 1680–1689.
//   - Early, mid and late of a century or millennium are its first quarter,
//     its middle half and its last quarter (mid 18th century is 1726–1775);
//     of any other span (a dynasty, a reign, a decade) they are its thirds.
//     Halves, quarters and thirds can also be named explicitly ("2nd quarter
//     19th century", "上半叶").
//   - A circa ("ca.", "c.", "about", 约, 左右) widens by CircaYears on each
//     side. In front of a range it covers both ends ("ca. 1710-1722");
//     inside a range only its own end ("1736-ca. 1750").
//   - An end year written short takes the start's leading digits: "1522-66"
//     is 1522–1566.
//   - Parts separated by ";" ("Porcelain: 1650-1699; Lid: ca. 1700") are
//     united. Within a part, a named period and explicit dates are
//     intersected ("Northern Song dynasty, 11th century" is 1001–1100); when
//     they do not overlap the explicit dates win. Dates joined by "or"/"and"
//     ("1696, 1756, or 1816") are spanned.
//   - Year N of an era is its first year plus N-1 (元年 is year 1); a
//     sexagenary year (乾隆丙午年) is looked up inside the era.
//
// Result.Periods lists the periods the text names together with their
// ancestors, most specific first: "Qianlong" gives ["qing-qianlong", "qing"].
package dating
