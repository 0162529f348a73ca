import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { writeBlankNumbersWorkbook } from '../../../libs/adapters/excel/blank-numbers-workbook';
import { parsePeriod } from '../../../libs/domain';
import { BlankNumbersQuery } from '../../../libs/modules/reconciliation';
import { SellersService } from '../../../libs/modules/sellers';
import { StaffOnly } from '../auth/auth.decorators';
import { BlankNumbersQueryDto } from './reconciliation.dto';
import { blankNumberView } from './reconciliation.view';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** EINV450: blank, blank-cancelled and skipped numbers of a period, searchable, and their Excel export. */
@ApiTags('reconciliation (EINV450, E0402)')
@ApiBearerAuth()
@StaffOnly()
@Controller('api/v1/sellers/:ban')
export class BlankNumbersController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(BlankNumbersQuery) private readonly query: BlankNumbersQuery,
  ) {}

  @Get('blank-numbers')
  async list(@Param('ban') ban: string, @Query() query: BlankNumbersQueryDto) {
    const seller = await this.sellers.getSeller(ban);
    const period = parsePeriod(query.period, 'period').code;
    const limit = query.limit ?? 100;
    const rows = await this.query.blankNumbers(seller.id, period, { q: query.q, after: query.cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { period, numbers: page.map(blankNumberView), nextCursor: rows.length > limit ? page[page.length - 1].invoiceNumber : null };
  }

  /** Streamed: rows are read page by page and written as they come, whatever the size of the period. */
  @Get('blank-numbers.xlsx')
  async export(@Param('ban') ban: string, @Query() query: BlankNumbersQueryDto, @Res() response: Response): Promise<void> {
    const seller = await this.sellers.getSeller(ban);
    const period = parsePeriod(query.period, 'period').code;
    const rows = this.query.allBlankNumbers(seller.id, period, query.q);
    response.status(200).set({ 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="blank-numbers-${ban}-${period}.xlsx"` });
    await writeBlankNumbersWorkbook(response, viewRows(rows));
    response.end();
  }
}

async function* viewRows(rows: AsyncIterable<Parameters<typeof blankNumberView>[0]>) {
  for await (const row of rows) {
    const view = blankNumberView(row);
    yield {
      period: view.period, invoiceNumber: view.invoiceNumber, invoiceDate: view.invoiceDate ?? '', voidDate: view.voidDate ?? '',
      channel: view.channel ?? '', operator: view.operator ?? '', status: view.statusLabel, skipped: view.skipped,
    };
  }
}
