/** Whether `pathname` is inside the section `href` (the overview only matches itself). */
export function isCurrentSection(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
