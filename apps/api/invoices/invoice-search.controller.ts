import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { INVOICE_EXPORT_COLUMNS, InvoiceExportRow, writeInvoiceExportCsv } from '../../../libs/adapters/csv/invoice-export.csv';
import { writeInvoiceExportWorkbook } from '../../../libs/adapters/excel/invoice-export-workbook';
import { DomainError, taipeiIsoDay } from '../../../libs/domain';
import { InvoiceSearch, InvoicesService } from '../../../libs/modules/invoices';
import { SellerRecord, SellersService } from '../../../libs/modules/sellers';
import { StaffOnly } from '../auth/auth.decorators';
import { invoiceExportRow, invoiceSummaryView } from './invoice.view';
import { ExportInvoicesDto, StaffSearchInvoicesDto, searchFilter, sellerBans } from './invoice-search.query';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Einv120 for staff: the invoices of every seller (or of those named), by number, order, buyer, status, channel and
 * date, newest or oldest first, a page at a time; and the same filter exported whole as CSV or xlsx, streamed.
 */
@ApiTags('invoices (EINV111, Einv120)')
@ApiBearerAuth()
@StaffOnly()
@Controller('api/v1')
export class InvoiceSearchController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
  ) {}

  @Get('invoices')
  async list(@Query() query: StaffSearchInvoicesDto) {
    const filter = searchFilter(query);
    const sellers = await this.sellersOf(query.seller);
    const { invoices, nextCursor } = await this.invoices.list(sellers, filter);
    return { invoices: invoices.map(invoiceSummaryView), nextCursor };
  }

  /** UTF-8 with a BOM; `X-Row-Count` says up front how many rows follow, for a progress bar. */
  @Get('invoices.csv')
  @ApiProduces('text/csv')
  async csv(@Query() query: ExportInvoicesDto, @Res() response: Response): Promise<void> {
    await this.export(query, response, 'csv', (rows, signal) => writeInvoiceExportCsv(response, rows, signal));
  }

  /** One sheet per million rows; `X-Row-Count` says up front how many rows follow. */
  @Get('invoices.xlsx')
  @ApiProduces(XLSX)
  async xlsx(@Query() query: ExportInvoicesDto, @Res() response: Response): Promise<void> {
    await this.export(query, response, 'xlsx', (rows, signal) => writeInvoiceExportWorkbook(response, rows, { signal }));
  }

  /**
   * Checks the filter and counts before the first byte, so a bad filter is still a 400; then streams, reading the
   * rows page by page as the writer takes them. A client that goes away stops the reading.
   */
  private async export(
    query: ExportInvoicesDto,
    response: Response,
    format: 'csv' | 'xlsx',
    write: (rows: AsyncIterable<InvoiceExportRow>, signal: AbortSignal) => Promise<number>,
  ): Promise<void> {
    const filter: Omit<InvoiceSearch, 'cursor' | 'limit'> = searchFilter(query);
    const sellers = await this.sellersOf(query.seller);
    const total = await this.invoices.count(sellers, filter);
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    const named = sellerBans(query.seller);
    const name = `invoices-${named?.length === 1 ? named[0] : 'all'}-${taipeiIsoDay(new Date())}.${format}`;
    response.status(200).set({
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX,
      'Content-Disposition': `attachment; filename="${name}"`,
      'X-Row-Count': String(total),
      'X-Columns': String(INVOICE_EXPORT_COLUMNS.length),
      'Access-Control-Expose-Headers': 'X-Row-Count',
      'Cache-Control': 'no-store',
    });
    response.flushHeaders();
    const rows = this.exportRows(sellers, filter, gone.signal);
    try {
      await write(rows, gone.signal);
    } catch (error) {
      if (!gone.signal.aborted) throw error;
    }
    response.end();
  }

  private async *exportRows(sellers: SellerRecord[], filter: Omit<InvoiceSearch, 'cursor' | 'limit'>, signal: AbortSignal): AsyncGenerator<InvoiceExportRow> {
    for await (const invoice of this.invoices.all(sellers, filter)) {
      if (signal.aborted) return;
      yield invoiceExportRow(invoice);
    }
  }

  /** The sellers a search names, each known (else a 400 naming `seller`), or every seller. */
  private async sellersOf(text: string | undefined): Promise<SellerRecord[]> {
    const bans = sellerBans(text);
    const all = await this.sellers.listSellers();
    if (!bans) return all;
    const unknown = bans.filter((ban) => !all.some((s) => s.ban === ban));
    if (unknown.length > 0) {
      throw new DomainError('invalid', 'SEARCH.SELLER', `seller: no seller ${unknown.join(', ')}`, [{ field: 'seller', code: 'SEARCH.SELLER', message: `no seller ${unknown.join(', ')}` }]);
    }
    return all.filter((s) => bans.includes(s.ban));
  }
}
