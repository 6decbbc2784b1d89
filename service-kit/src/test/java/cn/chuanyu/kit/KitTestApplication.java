package cn.chuanyu.kit;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A bare application for exercising the kit against the real broker and database. */
@SpringBootApplication
public class KitTestApplication {
}
