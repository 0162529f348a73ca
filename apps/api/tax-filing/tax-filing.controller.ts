import { Controller, Get, Inject, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PassThrough } from 'node:stream';
import { writeSalesSummaryWorkbook } from '../../../libs/adapters/excel/sales-summary-workbook';
import { TaxFilingService } from '../../../libs/modules/tax-filing';
import { FinanceReads } from '../auth/auth.decorators';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The period's business-tax filing (401, sales side): the media file and its summary, for admin and finance. */
@ApiTags('tax filing (401 media file)')
@ApiBearerAuth()
@FinanceReads()
@Controller('api/v1/sellers/:ban/periods/:period')
export class TaxFilingController {
  constructor(@Inject(TaxFilingService) private readonly filing: TaxFilingService) {}

  /** `<BAN>.TXT`: 81-byte ASCII records, CRLF; 409 until the period's reconciliation is approved. */
  @Get('media-file')
  @ApiProduces('text/plain')
  async mediaFile(@Param('ban') ban: string, @Param('period') period: string): Promise<StreamableFile> {
    const { fileName, content } = await this.filing.mediaFile(ban, period);
    return new StreamableFile(Buffer.from(content, 'ascii'), { type: 'text/plain; charset=us-ascii', disposition: `attachment; filename="${fileName}"` });
  }

  @Get('sales-summary')
  async salesSummary(@Param('ban') ban: string, @Param('period') period: string) {
    const { summary, completeness } = await this.filing.filing(ban, period);
    return { ...summary, complete: completeness.complete, filedElsewhere: completeness.filedElsewhere };
  }

  /** The same figures, and a sheet per tax class listing the media file's records. */
  @Get('sales-summary.xlsx')
  @ApiProduces(XLSX)
  async salesSummaryWorkbook(@Param('ban') ban: string, @Param('period') period: string): Promise<StreamableFile> {
    const { summary, records } = await this.filing.filing(ban, period);
    const out = new PassThrough();
    writeSalesSummaryWorkbook(out, summary, records).catch((error) => out.destroy(error));
    return new StreamableFile(out, { type: XLSX, disposition: `attachment; filename="sales-summary-${ban}-${summary.period}.xlsx"` });
  }
}
