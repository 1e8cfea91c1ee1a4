/**
 * One page of a list of `total` rows shown `pageSize` at a time: how many pages there are (at
 * least one, so an empty list still has its page) and how many rows come before `page`. A page
 * past the end is kept as asked and shows no rows, unless `clamp` brings it into 1…pageCount.
 */
export function paginate(total: number, page: number, pageSize: number, { clamp = false } = {}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = clamp ? Math.min(Math.max(1, page), pageCount) : page;
  return { page: current, pageCount, offset: (current - 1) * pageSize };
}
