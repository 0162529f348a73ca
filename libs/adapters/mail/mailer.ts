import { Transporter, createTransport } from 'nodemailer';
import { taipeiIsoDay } from '../../domain/taipei-time';

export interface InvoiceNotice {
  to: string;
  messageId: string;
  sellerName: string;
  invoiceNumber: string;
  issuedAt: Date;
  randomNumber: string;
  totalAmount: number;
  /** The invoice proof (電子發票證明聯) for a buyer without a carrier. */
  proof?: { fileName: string; pdf: Buffer };
}

/** The SMTP port: tells a buyer their invoice was issued. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = createTransport(smtpUrl);
  }

  async sendInvoiceNotice(notice: InvoiceNotice): Promise<string> {
    const date = taipeiIsoDay(notice.issuedAt);
    const info = await this.transport.sendMail({
      from: this.from,
      to: notice.to,
      messageId: notice.messageId,
      subject: `電子發票開立通知 Invoice ${notice.invoiceNumber} from ${notice.sellerName}`,
      text: [
        `${notice.sellerName} 已開立電子發票 / has issued an e-invoice to you.`,
        '',
        `發票號碼 Invoice number: ${notice.invoiceNumber}`,
        `發票日期 Date: ${date}`,
        `隨機碼 Random number: ${notice.randomNumber}`,
        `總計 Total: NT$${notice.totalAmount}`,
        ...(notice.proof ? ['', '附件為電子發票證明聯 / The invoice proof is attached.'] : []),
      ].join('\n'),
      attachments: notice.proof ? [{ filename: notice.proof.fileName, content: notice.proof.pdf, contentType: 'application/pdf' }] : undefined,
    });
    return info.messageId;
  }

  /** A plain-text message to staff (alert notices). */
  async sendText(message: { to: string[]; subject: string; text: string }): Promise<string> {
    const info = await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
    return info.messageId;
  }

  close(): void {
    this.transport.close();
  }
}
