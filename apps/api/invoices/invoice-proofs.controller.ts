import { Body, Controller, HttpCode, Inject, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { InvoiceProofs } from '../../../libs/modules/invoices';
import type { PrintLayout } from '../../../libs/modules/invoices';
import type { Principal } from '../../../libs/modules/sellers';
import { SellersService } from '../../../libs/modules/sellers';
import { CurrentPrincipal, FinanceActs, actorOf } from '../auth/auth.decorators';

export class PrintProofDto {
  @ApiPropertyOptional({ enum: ['thermal', 'a4'], default: 'thermal', description: 'thermal: the 57 mm proof; a4: the B2B proof with every line item' })
  @IsOptional() @IsIn(['thermal', 'a4'])
  layout?: PrintLayout;
}

/** The invoice proof (電子發票證明聯): admin, finance and the invoice's own seller's channels print; viewers only read. */
@ApiTags('invoices (Einv120)')
@ApiBearerAuth()
@Controller('api/v1/sellers/:ban/invoices/:number/prints')
export class InvoiceProofsController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(InvoiceProofs) private readonly proofs: InvoiceProofs,
  ) {}

  /** The first print is the original, every later one a reprint marked 補印 (`X-Proof-Copy`); each is recorded. */
  @Post()
  @HttpCode(201)
  @FinanceActs()
  @ApiProduces('application/pdf')
  async print(
    @Param('ban') ban: string,
    @Param('number') number: string,
    @Body() body: PrintProofDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const seller = await this.sellers.getSeller(ban);
    const { pdf, print } = await this.proofs.print(seller, number, { layout: body.layout ?? 'thermal', by: actorOf(principal) });
    response.setHeader('X-Proof-Copy', print.reprint ? 'reprint' : 'original');
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${number}${print.reprint ? '-reprint' : ''}.pdf"` });
  }
}
